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
