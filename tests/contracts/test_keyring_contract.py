"""The key ring's contract, for the embedded file and the KMS-sealed ring (KMS and S3 on moto's
server): what one process encrypts, MACs and signs, another process that loads the ring from
the same place decrypts and verifies - before and after a rotation. The KMS ring also keeps no
key in the clear and opens only under its own KMS key."""
from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from iaas.keyring.storage import LocalKeyRingFile
from iaas.objects import LocalFolderStore
from tests.contracts.conftest import unique


def _kms_storage(aws, kms_key):
    from iaas.keyring.kms import KmsKeyRingFile
    from iaas.objects.s3 import S3ObjectStore

    bucket = unique("portal-keys")
    aws("s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    objects = S3ObjectStore(aws("s3"), bucket, "portal", kms_key_id=kms_key)
    return lambda: KmsKeyRingFile(aws("kms"), kms_key, objects), objects


@pytest.fixture(params=["local", "kms"])
def storage(request, tmp_path):
    """A factory of storages of one ring: each call is another process opening it."""
    if request.param == "local":
        return lambda: LocalKeyRingFile(tmp_path / "keys" / "keyring.json")
    return _kms_storage(request.getfixturevalue("aws"), request.getfixturevalue("kms_key"))[0]


def test_a_new_ring_encrypts_macs_and_signs(storage):
    ring = storage().load_or_create()
    token = ring.encrypt("110105198503120017", context="customer.id_number")
    assert "110105198503120017" not in token and ring.key_id_of(token) == ring.active_key_id
    assert ring.decrypt(token, context="customer.id_number") == "110105198503120017"
    with pytest.raises(ValueError):
        ring.decrypt(token, context="bank_account.number")
    key_id, signature = ring.sign(b"head", purpose="audit.checkpoint")
    assert ring.verify(key_id, b"head", signature, purpose="audit.checkpoint")
    assert not ring.verify(key_id, b"head!", signature, purpose="audit.checkpoint")
    assert set(ring.public_keys()) == {ring.active_key_id}


def test_another_process_loading_the_ring_agrees_with_the_first(storage):
    first = storage().load_or_create()
    token = first.encrypt("6222020012345678901", context="bank_account.number")
    key_id, tag = first.mac(b"entry", purpose="audit.chain")
    _, signature = first.sign(b"notice", purpose="notice")
    second = storage().load_or_create()
    assert second.active_key_id == first.active_key_id
    assert second.decrypt(token, context="bank_account.number") == "6222020012345678901"
    assert second.mac_with(key_id, b"entry", purpose="audit.chain") == tag
    assert second.verify(key_id, b"notice", signature, purpose="notice")
    assert second.blind_index("x", context="c") == first.blind_index("x", context="c")


def test_a_rotation_saved_is_what_the_next_process_loads(storage):
    first = storage().load_or_create()
    old_token = first.encrypt("value", context="c")
    _, old_signature = first.sign(b"x", purpose="p")
    keeper = storage()
    rotated = keeper.load_or_create().rotated()
    keeper.save(rotated)
    again = storage().load_or_create()
    assert again.active_key_id == rotated.active_key_id != first.active_key_id
    assert again.decrypt(old_token, context="c") == "value"
    assert again.verify(first.active_key_id, b"x", old_signature, purpose="p")
    assert again.sign(b"x", purpose="p")[0] == rotated.active_key_id
    assert again.public_keys() == rotated.public_keys()
    assert again.blind_index("x", context="c") == first.blind_index("x", context="c")


def test_the_kms_ring_keeps_no_key_in_the_clear(aws, kms_key):
    make, objects = _kms_storage(aws, kms_key)
    ring = make().load_or_create()
    stored = objects.get("keys/keyring.kms.json")
    material = json.loads(ring.to_json())
    secrets = [*material["data_keys"].values(), material["index_key"], *material["mac_keys"].values(),
               *material["signing_keys"].values()]
    assert len(secrets) == 4 and not any(secret.encode() in stored for secret in secrets)
    assert json.loads(stored)["kms_key_id"] == kms_key


def test_the_kms_ring_opens_only_under_its_own_kms_key_and_slots(aws, kms_key):
    from iaas.keyring.kms import KmsKeyRingFile

    make, objects = _kms_storage(aws, kms_key)
    make().load_or_create()
    other_key = aws("kms").create_key(Description="someone else's")["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError):
        KmsKeyRingFile(aws("kms"), other_key, objects).load()
    sealed = json.loads(objects.get("keys/keyring.kms.json"))
    [key_id] = sealed["keys"]
    sealed["keys"][key_id] = sealed["index_key"]  # a blob moved to another slot does not unwrap there
    objects.put("keys/keyring.kms.json", json.dumps(sealed).encode(), content_type="application/json")
    with pytest.raises(ClientError):
        make().load()


class _LookedTooEarly(LocalFolderStore):
    """The second process looked for the ring just before the first one stored it."""

    looked = False

    def get(self, key):
        if not self.looked:
            self.looked = True
            raise KeyError(key)
        return super().get(key)


def test_two_processes_starting_together_end_up_with_one_ring(aws, kms_key, tmp_path):
    from iaas.keyring.kms import KmsKeyRingFile

    winner = KmsKeyRingFile(aws("kms"), kms_key, LocalFolderStore(tmp_path / "objects")).load_or_create()
    late = _LookedTooEarly(tmp_path / "objects")  # the sealed ring works on any object store
    assert KmsKeyRingFile(aws("kms"), kms_key, late).load_or_create().active_key_id == winner.active_key_id
    assert late.looked
