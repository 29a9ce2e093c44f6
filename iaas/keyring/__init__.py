"""Key ring port: encrypts personal data at rest and derives keyed hashes for exact look-ups.

Ciphertexts name the key that made them (``<key id>:<base64>``), so a new key can become
active while older ciphertexts still decrypt; re-encryption can then run at leisure.
The cloud implementation (KMS envelope keys) comes with the AWS adapters."""
from __future__ import annotations

from typing import Protocol

from iaas.keyring.local import LocalKeyRing

__all__ = ["KeyRing", "LocalKeyRing"]


class KeyRing(Protocol):
    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Encrypt for one purpose (``context``, e.g. ``customer.id_number``)."""

    def decrypt(self, token: str, *, context: str) -> str:
        """Decrypt a token made for the same ``context``; raises ``ValueError`` otherwise."""

    def blind_index(self, value: str, *, context: str) -> str:
        """Keyed hash of a normalised value, stable across key rotation, for equality search."""

    def key_id_of(self, token: str) -> str:
        """Which key made this token (to find rows still under a retired key)."""

    @property
    def active_key_id(self) -> str: ...
