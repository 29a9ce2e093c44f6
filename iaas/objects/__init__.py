"""Object storage port: uploaded documents and generated files, addressed by key. Embedded
default: a local folder under the data directory; S3 comes with the AWS adapters."""
from __future__ import annotations

from typing import Protocol

from iaas.objects.local import LocalFolderStore

__all__ = ["ObjectStore", "LocalFolderStore"]


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store ``data`` under ``key`` (overwriting is allowed: keys are content-derived)."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; KeyError if there are none."""

    def delete(self, key: str) -> None:
        """Remove ``key`` if present."""

    def create(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store a record that is never replaced (audit checkpoints; S3 keeps them under Object
        Lock): ``FileExistsError`` if ``key`` is taken."""

    def list(self, prefix: str) -> list[str]:
        """The keys under ``prefix`` (a folder, ending in ``/``), sorted."""
