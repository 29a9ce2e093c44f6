"""The key ring backed by KMS: envelope encryption. The ring's own keys - each key id's AES data
key, MAC key and Ed25519 signing seed, and the blind-index key - are kept only wrapped by a KMS
key (one ``Encrypt`` per key id, bound to it by the encryption context), in one object of the
object store that every web process, worker and cycle task shares. A process unwraps them once
at start (``kms:Decrypt``, granted by IAM to the portal's tasks alone) and then works exactly
like the embedded ring: same class, same ciphertexts, no KMS call per field.

Whoever copies the bucket gets nothing without the KMS key; a blob moved to another key id's
slot, or sealed under another KMS key, does not unwrap. Rotation (``portal keys rotate``) wraps
only the new key id and rewrites the object (the bucket is versioned)."""
from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from iaas.keyring.local import LocalKeyRing

if TYPE_CHECKING:
    from iaas.objects import ObjectStore

FORMAT = "portal-keyring/kms-1"
RING_OBJECT_KEY = "keys/keyring.kms.json"
_INDEX = "index"


class KmsKeyRingFile:
    """Where a KMS-backed ring is kept: ``load_or_create`` and ``save`` as for the local file."""

    def __init__(self, kms_client: Any, kms_key_id: str, objects: "ObjectStore", key: str = RING_OBJECT_KEY) -> None:
        self._kms = kms_client
        self._kms_key_id = kms_key_id
        self._objects = objects
        self._key = key
        self._wrapped: dict[str, str] = {}  # key id -> its blob, so a save rewraps only new keys

    def load_or_create(self) -> LocalKeyRing:
        try:
            return self.load()
        except KeyError:
            pass
        ring = LocalKeyRing.generate()
        try:
            self._objects.create(self._key, self._seal(ring), content_type="application/json")
        except FileExistsError:  # another process made the first ring a moment earlier: use it
            return self.load()
        return ring

    def load(self) -> LocalKeyRing:
        sealed = json.loads(self._objects.get(self._key))
        if sealed.get("format") != FORMAT:
            raise ValueError(f"{self._key} is not a KMS-sealed key ring")
        material: dict[str, Any] = {"active": sealed["active"], "data_keys": {}, "mac_keys": {}, "signing_keys": {}}
        material["index_key"] = self._unwrap(sealed["index_key"], _INDEX)["index"]
        for key_id, blob in sealed["keys"].items():
            keys = self._unwrap(blob, key_id)
            material["data_keys"][key_id] = keys["data"]
            for part, slot in (("mac", "mac_keys"), ("signing", "signing_keys")):
                if part in keys:
                    material[slot][key_id] = keys[part]
        self._wrapped = dict(sealed["keys"], **{_INDEX: sealed["index_key"]})
        return LocalKeyRing.from_json(json.dumps(material))

    def save(self, ring: LocalKeyRing) -> None:
        self._objects.put(self._key, self._seal(ring), content_type="application/json")

    # -- wrapping ---------------------------------------------------------------------
    def _seal(self, ring: LocalKeyRing) -> bytes:
        material = json.loads(ring.to_json())
        keys = {}
        for key_id, data_key in material["data_keys"].items():
            parts = {"data": data_key}
            for part, slot in (("mac", "mac_keys"), ("signing", "signing_keys")):
                if key_id in material[slot]:
                    parts[part] = material[slot][key_id]
            keys[key_id] = self._wrapped.get(key_id) or self._wrap(parts, key_id)
        index = self._wrapped.get(_INDEX) or self._wrap({"index": material["index_key"]}, _INDEX)
        self._wrapped = dict(keys, **{_INDEX: index})
        return json.dumps({"format": FORMAT, "kms_key_id": self._kms_key_id, "active": material["active"],
                           "index_key": index, "keys": keys}, indent=2, sort_keys=True).encode("utf-8")

    def _wrap(self, parts: dict[str, str], slot: str) -> str:
        blob = self._kms.encrypt(KeyId=self._kms_key_id, Plaintext=json.dumps(parts).encode("ascii"),
                                 EncryptionContext=_context(slot))["CiphertextBlob"]
        return base64.b64encode(blob).decode("ascii")

    def _unwrap(self, blob: str, slot: str) -> dict[str, str]:
        plain = self._kms.decrypt(KeyId=self._kms_key_id, CiphertextBlob=base64.b64decode(blob),
                                  EncryptionContext=_context(slot))["Plaintext"]
        return json.loads(plain)


def _context(slot: str) -> dict[str, str]:
    return {"portal:keyring": slot}
