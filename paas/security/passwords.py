"""Password hashing with argon2id (argon2-cffi), parameters from the security policy."""
from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from paas.errors import N_, InvalidInput
from paas.security.policy import SecurityPolicy

MIN_LENGTH = 10
MAX_LENGTH = 128
# zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^8 guesses or more), what an online
# attacker throttled to a few tries cannot reach, and what a stolen hash under argon2 resists.
MIN_SCORE = 3
# Why zxcvbn found a password weak, from the weakest part it matched: one message each, so the
# person learns what to change (its own feedback is English only).
TOO_COMMON = N_("This password is among the most common ones. Choose a phrase of a few uncommon words.")
OWN_DETAILS = N_("This password contains your own name, ID or mobile number. Choose something others cannot know.")
JUST_A_WORD = N_("A word or name by itself is easy to guess. Add another uncommon word or two.")
KEYBOARD = N_("Keyboard patterns like qwerty are easy to guess. Use a phrase of a few words.")
REPEATS = N_("Repeats like aaa or abcabc are easy to guess. Use a phrase of a few words.")
SEQUENCE = N_("Sequences like abc or 6543 are easy to guess. Use a phrase of a few words.")
DATES = N_("Dates and years are easy to guess, birthdays most of all. Use a phrase of a few words.")
TOO_EASY = N_("This password is too easy to guess. Make it longer, with a few uncommon words.")


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


def check_strength(password: str, *, own_details: tuple[str, ...] = ()) -> None:
    """Refuse a password that is too short, too long or too easy to guess (zxcvbn, which
    also knows ``own_details``: the person's name, ID number, mobile), saying why."""
    _check_shape(password)
    result = zxcvbn(password[:MAX_LENGTH], user_inputs=[d for d in own_details if d])
    if result["score"] < MIN_SCORE:
        raise InvalidInput(_why_weak(result["sequence"]), field="password")


def _why_weak(parts: list[dict]) -> str:
    # The longest part zxcvbn recognised is what makes the password guessable.
    known = [part for part in parts if part.get("pattern") != "bruteforce"]
    weakest = max(known, key=lambda part: len(part.get("token", "")), default={})
    pattern = weakest.get("pattern")
    if pattern == "dictionary":
        source = weakest.get("dictionary_name")
        return TOO_COMMON if source == "passwords" else OWN_DETAILS if source == "user_inputs" else JUST_A_WORD
    return {"spatial": KEYBOARD, "repeat": REPEATS, "sequence": SEQUENCE, "date": DATES,
            "regex": DATES}.get(pattern, TOO_EASY)


def _check_shape(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(N_("A password needs at least %(count)s characters."), field="password", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(N_("A password can have at most %(count)s characters."), field="password", count=MAX_LENGTH)
    if password.isdigit() or password.isalpha():
        raise InvalidInput(N_("Use letters and digits (or symbols) in a password."), field="password")
