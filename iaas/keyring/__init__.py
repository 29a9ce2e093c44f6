"""Key ring port: encrypts personal data at rest, derives keyed hashes for exact look-ups, and
MACs and signs records for a purpose (the audit chain and its checkpoints; notices).

Ciphertexts name the key that made them (``<key id>:<base64>``), so a new key can become
active while older ciphertexts still decrypt; re-encryption can then run at leisure. MACs and
signatures come back with their key id for the same reason: whoever stores them stores the id.
In the cloud the same ring is kept sealed by KMS (``iaas.keyring.kms``: envelope encryption of
its keys); ``iaas.keyring.storage`` keeps the local file behind the same two calls."""
from __future__ import annotations

from typing import Protocol

from iaas.keyring.local import LocalKeyRing, verify_signature

__all__ = ["KeyRing", "LocalKeyRing", "verify_signature"]


class KeyRing(Protocol):
    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Encrypt for one purpose (``context``, e.g. ``customer.id_number``)."""

    def decrypt(self, token: str, *, context: str) -> str:
        """Decrypt a token made for the same ``context``; raises ``ValueError`` otherwise."""

    def blind_index(self, value: str, *, context: str) -> str:
        """Keyed hash of a normalised value, stable across key rotation, for equality search."""

    def key_id_of(self, token: str) -> str:
        """Which key made this token (to find rows still under a retired key)."""

    def mac(self, data: bytes, *, purpose: str) -> tuple[str, str]:
        """(key id, HMAC-SHA256 hex) under the active MAC key for ``purpose``."""

    def mac_with(self, key_id: str, data: bytes, *, purpose: str) -> str:
        """The MAC under the named key, to check a stored one; ``KeyError`` if the ring lacks it."""

    def sign(self, data: bytes, *, purpose: str) -> tuple[str, str]:
        """(key id, Ed25519 signature in base64) under the active signing key for ``purpose``."""

    def verify(self, key_id: str, data: bytes, signature: str, *, purpose: str) -> bool:
        """Whether the key ``key_id`` signed ``data`` for ``purpose`` (False for an unknown key)."""

    def public_keys(self) -> dict[str, str]:
        """Public signing keys (raw Ed25519, base64) by key id: exportable, so anyone can check."""

    @property
    def active_key_id(self) -> str: ...
