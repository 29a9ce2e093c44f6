import json
import stat

import pytest

from iaas.keyring import LocalKeyRing


def test_round_trip_and_ciphertexts_differ_each_time():
    ring = LocalKeyRing.generate()
    first = ring.encrypt("110105198503120017", context="customer.id_number")
    second = ring.encrypt("110105198503120017", context="customer.id_number")
    assert first != second
    assert "110105198503120017" not in first
    assert ring.decrypt(first, context="customer.id_number") == "110105198503120017"


def test_a_ciphertext_only_opens_in_its_own_context():
    ring = LocalKeyRing.generate()
    token = ring.encrypt("6222020012345678901", context="bank_account.number")
    with pytest.raises(ValueError):
        ring.decrypt(token, context="customer.id_number")


def test_tampering_is_detected():
    ring = LocalKeyRing.generate()
    token = ring.encrypt("secret", context="c")
    key_id, body = token.split(":")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(ValueError):
        ring.decrypt(f"{key_id}:{flipped}", context="c")


def test_rotation_keeps_old_ciphertexts_readable_and_blind_index_stable():
    ring = LocalKeyRing.generate()
    old = ring.encrypt("value", context="c")
    rotated = ring.rotated()
    new = rotated.encrypt("value", context="c")
    assert rotated.active_key_id != ring.active_key_id
    assert rotated.key_id_of(new) == rotated.active_key_id
    assert rotated.decrypt(old, context="c") == rotated.decrypt(new, context="c") == "value"
    assert rotated.blind_index("value", context="c") == ring.blind_index("value", context="c")


def test_blind_index_depends_on_key_and_context():
    one, two = LocalKeyRing.generate(), LocalKeyRing.generate()
    assert one.blind_index("x", context="a") != one.blind_index("x", context="b")
    assert one.blind_index("x", context="a") != two.blind_index("x", context="a")


def test_key_file_is_created_private_and_reloaded(tmp_path):
    path = tmp_path / "keys" / "keyring.json"
    ring = LocalKeyRing.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = ring.encrypt("v", context="c")
    again = LocalKeyRing.load_or_create(path)
    assert again.decrypt(token, context="c") == "v"
    assert json.loads(path.read_text())["active"] == ring.active_key_id


def test_unknown_key_id_is_a_clear_error():
    ring = LocalKeyRing.generate()
    with pytest.raises(ValueError, match="no key"):
        ring.decrypt("kdeadbeef:AAAA", context="c")


def test_macs_name_their_key_depend_on_purpose_and_survive_rotation():
    ring = LocalKeyRing.generate()
    key_id, tag = ring.mac(b"entry", purpose="audit.chain")
    assert key_id == ring.active_key_id and len(tag) == 64
    assert ring.mac_with(key_id, b"entry", purpose="audit.chain") == tag
    assert ring.mac_with(key_id, b"entry", purpose="other") != tag
    assert LocalKeyRing.generate().mac(b"entry", purpose="audit.chain")[1] != tag
    rotated = ring.rotated()
    assert rotated.mac(b"entry", purpose="audit.chain")[0] != key_id
    assert rotated.mac_with(key_id, b"entry", purpose="audit.chain") == tag
    with pytest.raises(KeyError):
        ring.mac_with("kdeadbeef", b"entry", purpose="audit.chain")


def test_signatures_verify_by_key_id_and_purpose_and_with_the_public_key_alone():
    from iaas.keyring import verify_signature
    from iaas.keyring.local import _unb64

    ring = LocalKeyRing.generate()
    key_id, signature = ring.sign(b"head", purpose="audit.checkpoint")
    assert ring.verify(key_id, b"head", signature, purpose="audit.checkpoint")
    assert not ring.verify(key_id, b"head!", signature, purpose="audit.checkpoint")
    assert not ring.verify(key_id, b"head", signature, purpose="notice")
    assert not ring.verify("kdeadbeef", b"head", signature, purpose="audit.checkpoint")
    assert not ring.verify(key_id, b"head", "not-a-signature", purpose="audit.checkpoint")
    public = _unb64(ring.public_keys()[key_id])
    assert len(public) == 32 and verify_signature(public, b"head", signature, purpose="audit.checkpoint")
    rotated = ring.rotated()
    assert rotated.sign(b"head", purpose="audit.checkpoint")[0] == rotated.active_key_id != key_id
    assert rotated.verify(key_id, b"head", signature, purpose="audit.checkpoint")
    assert set(rotated.public_keys()) == {key_id, rotated.active_key_id}


def test_mac_and_signing_keys_are_saved_and_reloaded(tmp_path):
    path = tmp_path / "keyring.json"
    ring = LocalKeyRing.load_or_create(path).rotated()
    ring.save(path)
    again = LocalKeyRing.load_or_create(path)
    for key_id in ring.public_keys():
        assert again.mac_with(key_id, b"x", purpose="p") == ring.mac_with(key_id, b"x", purpose="p")
    key_id, signature = ring.sign(b"x", purpose="p")
    assert again.verify(key_id, b"x", signature, purpose="p") and again.public_keys() == ring.public_keys()
    assert set(json.loads(path.read_text())["signing_keys"]) == set(ring.public_keys())


def test_a_ring_file_from_before_mac_and_signing_keys_still_loads_and_agrees_with_itself(tmp_path):
    """Older files have only data keys: theirs are derived, the same in every process."""
    old = json.loads(LocalKeyRing.generate().to_json())
    del old["mac_keys"], old["signing_keys"]
    one, two = LocalKeyRing.from_json(json.dumps(old)), LocalKeyRing.from_json(json.dumps(old))
    assert one.mac(b"x", purpose="p") == two.mac(b"x", purpose="p")
    key_id, signature = one.sign(b"x", purpose="p")
    assert two.verify(key_id, b"x", signature, purpose="p")
    assert one.mac_with(key_id, b"x", purpose="p") != LocalKeyRing.generate().mac(b"x", purpose="p")[1]


def test_processes_creating_a_new_ring_at_once_all_end_with_the_same_one(tmp_path):
    import multiprocessing

    path = tmp_path / "new" / "keyring.json"
    context = multiprocessing.get_context("fork")
    with context.Pool(6) as pool:
        made = pool.map(_active_key_of_a_ring_at, [path] * 12)
    assert len(set(made)) == 1 and made[0] == LocalKeyRing.load_or_create(path).to_json()
    assert [p.name for p in path.parent.iterdir()] == ["keyring.json"]  # no file left half-made


def _active_key_of_a_ring_at(path) -> str:
    return LocalKeyRing.load_or_create(path).to_json()


def test_signatures_are_openssls_ed25519_byte_for_byte():
    # Signed by libsodium, checked by OpenSSL: the same deterministic Ed25519, so a notice
    # signed before the change and one signed after carry the same signature for the same data.
    import base64
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    for number in range(20):
        seed = hashlib.sha256(b"seed %d" % number).digest()
        ring = LocalKeyRing({"k1": b"d" * 32}, "k1", b"i" * 32, signing_keys={"k1": seed})
        data = "通知 %d " % number * number
        key_id, signature = ring.sign(data.encode(), purpose="notice")
        expected = Ed25519PrivateKey.from_private_bytes(seed).sign(b"notice\x00" + data.encode())
        assert key_id == "k1"
        assert base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)) == expected
