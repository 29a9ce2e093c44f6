"""Embedded key ring: AES-256-GCM data keys and an HMAC index key kept in a local JSON file.

The file is created on first run (mode 0600) under the data folder and never committed."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LocalKeyRing:
    def __init__(self, data_keys: dict[str, bytes], active_key_id: str, index_key: bytes) -> None:
        if active_key_id not in data_keys:
            raise ValueError(f"active key {active_key_id!r} is not in the ring")
        for key_id, key in data_keys.items():
            if ":" in key_id or len(key) != 32:
                raise ValueError(f"key {key_id!r} must be 32 bytes and its id must not contain ':'")
        if len(index_key) < 32:
            raise ValueError("the index key must be at least 32 bytes")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in data_keys.items()}
        self._keys = dict(data_keys)
        self._active = active_key_id
        self._index_key = index_key

    # -- construction -------------------------------------------------------------------
    @classmethod
    def generate(cls) -> "LocalKeyRing":
        key_id = _new_key_id()
        return cls({key_id: AESGCM.generate_key(bit_length=256)}, key_id, secrets.token_bytes(32))

    @classmethod
    def load_or_create(cls, path: Path) -> "LocalKeyRing":
        if path.exists():
            return cls.from_json(path.read_text(encoding="utf-8"))
        ring = cls.generate()
        ring.save(path)
        return ring

    @classmethod
    def from_json(cls, text: str) -> "LocalKeyRing":
        data = json.loads(text)
        return cls(
            {key_id: _unb64(key) for key_id, key in data["data_keys"].items()},
            data["active"],
            _unb64(data["index_key"]),
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self._active,
                "data_keys": {key_id: _b64(key) for key_id, key in self._keys.items()},
                "index_key": _b64(self._index_key),
            },
            indent=2,
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
        os.replace(temporary, path)

    def rotated(self) -> "LocalKeyRing":
        """A ring with a fresh active data key; old keys stay for decryption."""
        key_id = _new_key_id()
        keys = dict(self._keys)
        keys[key_id] = AESGCM.generate_key(bit_length=256)
        return LocalKeyRing(keys, key_id, self._index_key)

    # -- the port -------------------------------------------------------------------------
    @property
    def active_key_id(self) -> str:
        return self._active

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self._active].encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return f"{self._active}:{_b64(nonce + sealed)}"

    def decrypt(self, token: str, *, context: str) -> str:
        key_id, _, body = token.partition(":")
        cipher = self._ciphers.get(key_id)
        if cipher is None or not body:
            raise ValueError(f"no key {key_id!r} in the ring for this ciphertext")
        raw = _unb64(body)
        try:
            plain = cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode("utf-8"))
        except InvalidTag as exc:
            raise ValueError("ciphertext does not verify (wrong key, context or tampered)") from exc
        return plain.decode("utf-8")

    def blind_index(self, value: str, *, context: str) -> str:
        message = context.encode("utf-8") + b"\x00" + value.encode("utf-8")
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()

    def key_id_of(self, token: str) -> str:
        return token.partition(":")[0]


def _new_key_id() -> str:
    return "k" + secrets.token_hex(4)
