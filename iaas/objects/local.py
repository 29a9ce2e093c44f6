"""Embedded object store: files under a folder, written atomically, keys kept inside it."""
from __future__ import annotations

import os
import re
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
