"""Embedded object store: files under a folder, written atomically, keys kept inside it."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from iaas.objects.keys import checked_key


class LocalFolderStore:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, key: str) -> Path:
        return self._folder / checked_key(key)

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise KeyError(key) from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def create(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")  # two writers never share one
        temporary.write_bytes(data)
        try:
            os.link(temporary, path)  # unlike rename, a link refuses to replace an existing file
        finally:
            temporary.unlink()

    def download_url(self, key: str, *, filename: str, content_type: str, expires_in: int = 300) -> str | None:
        """None: nobody but the portal reads this folder, so the portal serves the file itself."""
        return None

    def list(self, prefix: str) -> list[str]:
        folder = self._path(prefix.rstrip("/"))
        if not folder.is_dir():
            return []
        return sorted(
            f"{prefix}{path.relative_to(folder).as_posix()}"
            for path in folder.rglob("*") if path.is_file() and not path.name.endswith(".tmp")
        )
