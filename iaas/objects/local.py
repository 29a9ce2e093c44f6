"""Embedded object store: files under a folder, written atomically, keys kept inside it."""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,199}$")


class LocalFolderStore:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, key: str) -> Path:
        # Keys come from our own code, but a key must never climb out of the folder.
        if not _KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"unsafe object key {key!r}")
        return self._folder / key

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

    def list(self, prefix: str) -> list[str]:
        folder = self._path(prefix.rstrip("/"))
        if not folder.is_dir():
            return []
        return sorted(
            f"{prefix}{path.relative_to(folder).as_posix()}"
            for path in folder.rglob("*") if path.is_file() and not path.name.endswith(".tmp")
        )
