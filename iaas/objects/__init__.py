"""Object storage port: uploaded documents and generated files, addressed by key. Embedded
default: a local folder under the data directory; in the cloud S3 (``iaas.objects.s3``, SSE-KMS,
presigned downloads, Object Lock for records never replaced). ``RoutedStore`` sends keys under a
prefix (the audit checkpoints) to a store of their own."""
from __future__ import annotations

from typing import Protocol

from iaas.objects.local import LocalFolderStore
from iaas.objects.routed import RoutedStore

__all__ = ["ObjectStore", "LocalFolderStore", "RoutedStore"]


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

    def download_url(self, key: str, *, filename: str, content_type: str, expires_in: int = 300) -> str | None:
        """A short-lived link that downloads ``key`` as an attachment named ``filename`` straight
        from the store (S3: presigned), or None when the portal must serve the bytes itself.
        Only call it after checking that the asker may read the object."""
