"""One object store in front of several: keys under a routed prefix go to that prefix's store.
The audit checkpoints live in a bucket of their own under Object Lock, the rest (documents,
notices, the sealed key ring) in the documents bucket; callers see one store and one key space."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iaas.objects import ObjectStore


class RoutedStore:
    def __init__(self, default: "ObjectStore", routes: Mapping[str, "ObjectStore"]) -> None:
        for prefix in routes:
            if not prefix.endswith("/"):
                raise ValueError(f"a routed prefix is a folder ending in '/', not {prefix!r}")
        self._default = default
        # Longest prefix first, so a nested route wins over its parent.
        self._routes = sorted(routes.items(), key=lambda item: len(item[0]), reverse=True)

    def store_for(self, key: str) -> "ObjectStore":
        return next((store for prefix, store in self._routes if key.startswith(prefix)), self._default)

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        self.store_for(key).put(key, data, content_type=content_type)

    def get(self, key: str) -> bytes:
        return self.store_for(key).get(key)

    def delete(self, key: str) -> None:
        self.store_for(key).delete(key)

    def create(self, key: str, data: bytes, *, content_type: str) -> None:
        self.store_for(key).create(key, data, content_type=content_type)

    def list(self, prefix: str) -> list[str]:
        return self.store_for(prefix).list(prefix)

    def download_url(self, key: str, *, filename: str, content_type: str, expires_in: int = 300) -> str | None:
        return self.store_for(key).download_url(key, filename=filename, content_type=content_type,
                                                expires_in=expires_in)
