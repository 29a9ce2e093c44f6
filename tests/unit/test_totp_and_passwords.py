from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from paas.errors import InvalidInput
from paas.security import totp
from paas.security.passwords import Passwords, check_strength
from paas.security.policy import SecurityPolicy

NOW = datetime(2026, 11, 27, 8, 0, 10, tzinfo=timezone.utc)


def test_code_matches_its_step_once():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    step = totp.matching_step(secret, code, NOW, last_step=None)
    assert step == int(NOW.timestamp()) // 30
    assert totp.matching_step(secret, code, NOW, last_step=step) is None  # replay refused


def test_one_step_of_drift_is_tolerated_two_are_not():
    secret = totp.new_secret()
    previous = pyotp.TOTP(secret).at(NOW - timedelta(seconds=30))
    too_old = pyotp.TOTP(secret).at(NOW - timedelta(seconds=90))
    assert totp.matching_step(secret, previous, NOW, last_step=None) is not None
    assert totp.matching_step(secret, too_old, NOW, last_step=None) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", None])
def test_malformed_codes_never_match(code):
    assert totp.matching_step(totp.new_secret(), code, NOW, last_step=None) is None


def test_passwords_hash_with_argon2id_and_verify():
    passwords = Passwords(SecurityPolicy(argon2_time_cost=1, argon2_memory_cost_kib=8192, argon2_parallelism=1))
    stored = passwords.hash("correct-horse-9")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "correct-horse-9")
    assert not passwords.verify(stored, "correct-horse-8")
    assert not passwords.verify(None, "correct-horse-9")
    assert not passwords.verify("not a hash", "correct-horse-9")


def test_production_parameters_are_strong():
    policy = SecurityPolicy()
    assert policy.argon2_memory_cost_kib >= 19456 and policy.argon2_time_cost >= 2  # OWASP minimum for argon2id


@pytest.mark.parametrize("weak", ["short1", "onlyletterslong", "1234567890123", "x" * 200])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(InvalidInput):
        check_strength(weak)
