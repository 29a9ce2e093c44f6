"""Password hashing with argon2id (argon2-cffi), parameters from the security policy."""
from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from paas.errors import N_, InvalidInput
from paas.security.policy import SecurityPolicy

MIN_LENGTH = 10
MAX_LENGTH = 128


class Passwords:
    def __init__(self, policy: SecurityPolicy) -> None:
        self._hasher = PasswordHasher(
            time_cost=policy.argon2_time_cost,
            memory_cost=policy.argon2_memory_cost_kib,
            parallelism=policy.argon2_parallelism,
            type=Type.ID,
        )
        # Verified against when the account does not exist, so a wrong e-mail costs the
        # same time as a wrong password and does not reveal which accounts exist.
        self._decoy = self._hasher.hash("decoy password for absent accounts")

    def hash(self, password: str) -> str:
        check_strength(password)
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._decoy, password[:MAX_LENGTH]) and stored_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    def rehash(self, password: str) -> str:
        """A fresh hash under the current parameters for a password that already verified."""
        return self._hasher.hash(password)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(N_("A password needs at least %(count)s characters."), field="password", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(N_("A password can have at most %(count)s characters."), field="password", count=MAX_LENGTH)
    if password.isdigit() or password.isalpha():
        raise InvalidInput(N_("Use letters and digits (or symbols) in a password."), field="password")
