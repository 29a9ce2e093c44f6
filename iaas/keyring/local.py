"""Embedded key ring: AES-256-GCM data keys and an HMAC index key kept in a local JSON file.

Each key id also has a MAC key (HMAC-SHA256, e.g. the audit chain's links) and an Ed25519
signing key (e.g. the audit checkpoints, notices), so one ``portal keys rotate`` moves all
three on while what older keys made still verifies under its own key id. A file written before
MAC and signing keys existed has none for its key ids: theirs are derived from the data key
with HKDF (deterministic, so every process and worker agrees without rewriting the file);
keys made since are random and stored.

The file is created on first run (mode 0600) under the data folder and never committed."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from nacl.bindings import crypto_sign, crypto_sign_seed_keypair

_NONCE_BYTES = 12


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derived(data_key: bytes, what: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal keyring " + what).derive(data_key)


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _purposed(purpose: str, data: bytes) -> bytes:
    # The purpose is part of what is MACed or signed: a tag made for one use never passes for another.
    return purpose.encode("utf-8") + b"\x00" + data


class LocalKeyRing:
    def __init__(self, data_keys: dict[str, bytes], active_key_id: str, index_key: bytes,
                 mac_keys: dict[str, bytes] | None = None, signing_keys: dict[str, bytes] | None = None) -> None:
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
        self._mac_keys = dict(mac_keys or {})
        self._signing_seeds = dict(signing_keys or {})
        for key_id in set(self._mac_keys) | set(self._signing_seeds):
            if key_id not in data_keys:
                raise ValueError(f"MAC or signing key {key_id!r} has no data key in the ring")
        self._macs: dict[tuple[str, str], hmac.HMAC] = {}
        seeds = {key_id: self._signing_seeds.get(key_id) or _derived(key, b"ed25519 signing key")
                 for key_id, key in data_keys.items()}
        self._public = {key_id: _raw_public(Ed25519PrivateKey.from_private_bytes(seed)) for key_id, seed in seeds.items()}
        # Signed by libsodium (the same Ed25519, deterministic, so the same signature byte for
        # byte: tests/unit/test_keyring.py), in about 60% of OpenSSL's time through
        # cryptography - the cycle signs a hundred thousand notices a night. Checked by OpenSSL.
        self._signers = {key_id: crypto_sign_seed_keypair(seed)[1] for key_id, seed in seeds.items()}

    # -- construction -------------------------------------------------------------------
    @classmethod
    def generate(cls) -> "LocalKeyRing":
        key_id = _new_key_id()
        return cls({key_id: AESGCM.generate_key(bit_length=256)}, key_id, secrets.token_bytes(32),
                   {key_id: secrets.token_bytes(32)}, {key_id: secrets.token_bytes(32)})

    @classmethod
    def load_or_create(cls, path: Path) -> "LocalKeyRing":
        if path.exists():
            return cls.from_json(path.read_text(encoding="utf-8"))
        ring = cls.generate()
        # Several processes starting at once on a new data folder (workers of a shared night)
        # must end with one ring: the first file linked into place wins, the others load it.
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(ring.to_json())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return cls.from_json(path.read_text(encoding="utf-8"))
        finally:
            os.unlink(temporary)
        return ring

    @classmethod
    def from_json(cls, text: str) -> "LocalKeyRing":
        data = json.loads(text)
        return cls(
            {key_id: _unb64(key) for key_id, key in data["data_keys"].items()},
            data["active"],
            _unb64(data["index_key"]),
            {key_id: _unb64(key) for key_id, key in data.get("mac_keys", {}).items()},
            {key_id: _unb64(key) for key_id, key in data.get("signing_keys", {}).items()},
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self._active,
                "data_keys": {key_id: _b64(key) for key_id, key in self._keys.items()},
                "index_key": _b64(self._index_key),
                "mac_keys": {key_id: _b64(key) for key_id, key in self._mac_keys.items()},
                "signing_keys": {key_id: _b64(key) for key_id, key in self._signing_seeds.items()},
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
        """A ring with a fresh active key id (data, MAC and signing keys); old keys stay to
        decrypt and verify what they made."""
        key_id = _new_key_id()
        keys = dict(self._keys)
        keys[key_id] = AESGCM.generate_key(bit_length=256)
        macs = {**self._mac_keys, key_id: secrets.token_bytes(32)}
        signing = {**self._signing_seeds, key_id: secrets.token_bytes(32)}
        return LocalKeyRing(keys, key_id, self._index_key, macs, signing)

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

    def mac(self, data: bytes, *, purpose: str) -> tuple[str, str]:
        """(active key id, HMAC-SHA256 hex) of ``data`` for ``purpose``."""
        return self._active, self.mac_with(self._active, data, purpose=purpose)

    def mac_with(self, key_id: str, data: bytes, *, purpose: str) -> str:
        """The MAC under a named key (to check one made earlier); KeyError for an unknown key."""
        base = self._macs.get((key_id, purpose))
        if base is None:
            if key_id not in self._keys:
                raise KeyError(key_id)
            mac_key = self._mac_keys.get(key_id) or _derived(self._keys[key_id], b"mac key")
            # One keyed state per key and purpose, copied per message: one HMAC per audit entry.
            base = self._macs[(key_id, purpose)] = hmac.new(mac_key, _purposed(purpose, b""), hashlib.sha256)
        copy = base.copy()
        copy.update(data)
        return copy.hexdigest()

    def sign(self, data: bytes, *, purpose: str) -> tuple[str, str]:
        """(active key id, Ed25519 signature, base64) of ``data`` for ``purpose``."""
        return self._active, _b64(crypto_sign(_purposed(purpose, data), self._signers[self._active])[:64])

    def verify(self, key_id: str, data: bytes, signature: str, *, purpose: str) -> bool:
        """Whether ``signature`` was made over ``data`` for ``purpose`` by the key ``key_id``."""
        public = self._public.get(key_id)
        if public is None:
            return False
        return verify_signature(public, data, signature, purpose=purpose)

    def public_keys(self) -> dict[str, str]:
        """Every signing key's public half (raw Ed25519, base64) by key id, for anyone to check."""
        return {key_id: _b64(public) for key_id, public in self._public.items()}


def verify_signature(public_key: bytes, data: bytes, signature: str, *, purpose: str) -> bool:
    """Check a signature with only the exported public key (no key ring needed)."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(_unb64(signature), _purposed(purpose, data))
    except (InvalidSignature, ValueError):
        return False
    return True


def _new_key_id() -> str:
    return "k" + secrets.token_hex(4)
