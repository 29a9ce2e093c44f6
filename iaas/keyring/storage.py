"""Where the embedded ring is kept, with the same two calls as the KMS-sealed one
(``iaas.keyring.kms.KmsKeyRingFile``), so ``portal keys rotate`` does not care which it has."""
from __future__ import annotations

from pathlib import Path

from iaas.keyring.local import LocalKeyRing


class LocalKeyRingFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load_or_create(self) -> LocalKeyRing:
        return LocalKeyRing.load_or_create(self.path)

    def save(self, ring: LocalKeyRing) -> None:
        ring.save(self.path)
