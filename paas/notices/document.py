"""A notice's canonical data, its Ed25519 signature and its verification code.

The data is a plain JSON object (so it is stored as is, carried inside the PDF, and checked by
anyone): the notice's number, type, language, date of issue, recipient (name, and masked for the
public verification page), policy number, and the type's fields - amounts as Decimal strings to
the fen, dates ISO, numbers as decimal strings, choices by value - checked against the type.

The signature covers the canonical bytes (sorted keys, no spaces, UTF-8) under the key ring's
active signing key for the purpose ``notice``; the key id is kept beside it, so after
``portal keys rotate`` old notices still verify under their own key. The verification code is
derived from the signature: short enough to type from paper, and it names one signed notice."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from paas.errors import N_, InvalidInput
from paas.money import to_fen
from paas.notices.types import CHOICE, DATE, MONEY, NUMBER, TEXT, NoticeType, all_types, notice_type

if TYPE_CHECKING:
    from iaas.keyring import KeyRing

PURPOSE = "notice"
VERSION = 1
LANGUAGES = ("zh", "en")
TEXT_LIMIT = 200
# 12 base32 characters (60 bits of the signature's hash), shown as XXXX-XXXX-XXXX.
CODE_LENGTH = 12

MISSING_FIELD = N_("The notice lacks %(field)s.")
BAD_FIELD = N_("The notice's %(field)s is not right.")
UNKNOWN_FIELDS = N_("The notice carries fields its type does not have: %(fields)s.")
HEADER_FIELDS = ("v", "type", "notice_number", "language", "issued_on", "recipient_name",
                 "recipient_masked", "policy_number", "fields")


@dataclass(frozen=True)
class SignedNotice:
    data: dict  # canonical data, as ``canonical`` returns it
    key_id: str
    signature: str  # Ed25519, URL-safe base64 without padding

    @property
    def code(self) -> str:
        return verification_code(self.signature)


def masked_name(name: str) -> str:
    """A name as the public verification page shows it: 张*三, J*** Smith."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*"
    if " " in name:
        first, _, rest = name.partition(" ")
        return f"{first[0]}{'*' * (len(first) - 1) or '*'} {rest.split(' ')[-1]}"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def build(type_code: str, *, notice_number: str, language: str, issued_on: date | str,
          recipient_name: str, policy_number: str | None, fields: Mapping[str, Any],
          recipient_masked: str | None = None) -> dict:
    """The canonical data of one notice, every field checked against its type (``InvalidInput``
    listing every fault at once)."""
    return canonical({
        "v": VERSION, "type": type_code, "notice_number": notice_number, "language": language,
        "issued_on": issued_on.isoformat() if isinstance(issued_on, date) else issued_on,
        "recipient_name": recipient_name,
        "recipient_masked": recipient_masked if recipient_masked is not None else masked_name(recipient_name),
        "policy_number": policy_number, "fields": dict(fields),
    })


def canonical(data: Mapping[str, Any]) -> dict:
    """Check stored or received data against its type and return it in canonical form."""
    try:
        return _plain_canonical(data)
    except (_NotPlain, InvalidInput, InvalidOperation, TypeError, ValueError, AttributeError, KeyError):
        return _checked_canonical(data)


class _NotPlain(Exception):
    """Data the short way does not take: the full check decides (and names every fault)."""


# An amount already written to the fen as str(to_fen(...)) writes it: no leading zero, ASCII
# digits (Decimal reads other scripts' digits too), well inside Decimal's 28 digits.
_FEN_TEXT = re.compile(r"(?:0|[1-9][0-9]{0,14})\.[0-9]{2}")


def _plain_canonical(data: Mapping[str, Any]) -> dict:
    """``_checked_canonical``'s result the short way, for data that passes every check as it
    is - what ``build`` makes, the cycle's hundred thousand a night, and stored notices read
    back. Anything else raises, and the full check runs instead: this way only ever returns
    what that one would (tests/unit/notices/test_document.py holds the two together)."""
    if type(data) is not dict or not _HEADER_SET.issuperset(data) or data.get("v", VERSION) != VERSION:
        raise _NotPlain
    kind = _TYPES[data["type"]]
    language = data["language"]
    if language not in LANGUAGES:
        raise _NotPlain
    policy_number = data.get("policy_number")
    if policy_number is None or policy_number == "":
        if kind.about_policy:
            raise _NotPlain
        policy_number = None
    else:
        policy_number = _plain_text(policy_number)
    given = data["fields"]
    if type(given) is not dict:
        raise _NotPlain
    names, checks = _field_checks(kind)
    if not names.issuperset(given):
        raise _NotPlain
    fields = {}
    for name, field_kind, required, choices in checks:
        value = given.get(name)
        if value is None or value == "":
            if required:
                raise _NotPlain
            continue
        if field_kind == MONEY and type(value) is str and _FEN_TEXT.fullmatch(value):
            fields[name] = value
        elif field_kind == DATE and type(value) is date:
            fields[name] = value.isoformat()
        else:
            fields[name] = _canonical_value(field_kind, value, choices)
    issued_on = data["issued_on"]
    if type(issued_on) is date:
        issued_on = issued_on.isoformat()
    elif type(issued_on) is str and issued_on:
        issued_on = date.fromisoformat(issued_on).isoformat()
    else:
        raise _NotPlain
    return {"v": VERSION, "type": kind.code, "notice_number": _plain_text(data["notice_number"]),
            "recipient_name": _plain_text(data["recipient_name"]), "recipient_masked": _plain_text(data["recipient_masked"]),
            "language": language, "issued_on": issued_on, "policy_number": policy_number, "fields": fields}


def _plain_text(value: Any) -> str:
    if type(value) is not str:
        raise _NotPlain
    text = " ".join(value.split())
    if not text or len(text) > TEXT_LIMIT:
        raise _NotPlain
    return text


class _TypesByCode(dict):
    def __missing__(self, code):
        raise _NotPlain


_TYPES = _TypesByCode((kind.code, kind) for kind in all_types())
_HEADER_SET = frozenset(HEADER_FIELDS)


def _checked_canonical(data: Mapping[str, Any]) -> dict:
    """``canonical`` the long way: every value checked on its own, every fault listed."""
    kind = notice_type(str(data.get("type") or ""))
    errors: list[InvalidInput] = []
    result: dict[str, Any] = {"v": VERSION, "type": kind.code}
    for name in ("notice_number", "recipient_name", "recipient_masked"):
        result[name] = _checked(TEXT, name, data.get(name), True, _NO_CHOICES, errors)
    language = data.get("language")
    if language not in LANGUAGES:
        errors.append(InvalidInput(BAD_FIELD, field="language"))
    result["language"] = language
    result["issued_on"] = _checked(DATE, "issued_on", data.get("issued_on"), True, _NO_CHOICES, errors)
    result["policy_number"] = _checked(TEXT, "policy_number", data.get("policy_number"), kind.about_policy, _NO_CHOICES,
                                      errors)
    result["fields"] = _checked_fields(kind, data.get("fields"), errors)
    if data.get("v", VERSION) != VERSION or set(data) - set(HEADER_FIELDS):
        errors.append(InvalidInput(BAD_FIELD, field="v"))
    if errors:
        raise InvalidInput.of(errors)
    return result


# One encoder, made once: json.dumps would build one per call with these options.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_bytes(data: Mapping[str, Any]) -> bytes:
    return _CANONICAL_JSON.encode(data).encode("utf-8")


def sign(data: Mapping[str, Any], keyring: "KeyRing") -> SignedNotice:
    checked = canonical(data)
    key_id, signature = keyring.sign(canonical_bytes(checked), purpose=PURPOSE)
    return SignedNotice(checked, key_id, signature)


def verify(data: Mapping[str, Any], signature: str, key_id: str, *, keys: "KeyRing | Mapping[str, str]") -> bool:
    """Whether ``data`` is exactly what key ``key_id`` signed. ``keys``: the key ring, or its
    exported public keys (key id -> raw Ed25519 public key, base64) for checking elsewhere.
    Data that no longer fits its type, an unknown key or a malformed signature: False."""
    try:
        payload = canonical_bytes(canonical(data))
    except (InvalidInput, TypeError, ValueError, AttributeError):
        return False
    if isinstance(keys, Mapping):
        from iaas.keyring import verify_signature

        public = keys.get(key_id)
        if not public:
            return False
        try:
            raw = base64.urlsafe_b64decode(public + "=" * (-len(public) % 4))
        except ValueError:
            return False
        return verify_signature(raw, payload, signature, purpose=PURPOSE)
    return keys.verify(key_id, payload, signature, purpose=PURPOSE)


def verification_code(signature: str) -> str:
    # From the signature's bytes, not its text: base64 has spare bits, and one signature one code.
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    except ValueError:
        raw = signature.encode("utf-8")
    # The first 12 base32 letters of the digest are its first 60 bits, 5 to a letter: read as
    # pairs of letters, 10 bits at a time (the same letters as base64.b32encode, whose pure
    # Python loop cost more than the hash; the cycle makes a hundred thousand codes a night).
    bits = int.from_bytes(hashlib.sha256(raw).digest()[:8], "big") >> 4
    pair = _BASE32_PAIRS
    return (f"{pair[bits >> 50]}{pair[bits >> 40 & 1023]}-{pair[bits >> 30 & 1023]}{pair[bits >> 20 & 1023]}-"
            f"{pair[bits >> 10 & 1023]}{pair[bits & 1023]}")


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648, as base64.b32encode writes
_BASE32_PAIRS = tuple(first + second for first in _BASE32 for second in _BASE32)


def normalised_code(text: str) -> str:
    """A code as typed (any case, spaces or dashes, O for 0) in the form ``verification_code`` writes."""
    letters = "".join(ch for ch in (text or "").upper() if ch.isalnum()).replace("0", "O").replace("1", "I")
    letters = letters.replace("8", "B")
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def _checked_fields(kind: NoticeType, given: Any, errors: list[InvalidInput]) -> dict:
    if not isinstance(given, Mapping):
        errors.append(InvalidInput(BAD_FIELD, field="fields"))
        return {}
    names, checks = _field_checks(kind)
    if not names.issuperset(given):
        unknown = sorted(set(given) - names)
        errors.append(InvalidInput(UNKNOWN_FIELDS, field="fields", fields=", ".join(map(str, unknown))[:120]))
    result = {}
    for name, field_kind, required, choices in checks:
        value = _checked(field_kind, name, given.get(name), required, choices, errors)
        if value is not None:
            result[name] = value
    return result


_CHECKS: dict[str, tuple[frozenset, tuple]] = {}


def _field_checks(kind: NoticeType) -> tuple[frozenset, tuple]:
    """A type's field names and (name, kind, required, choice values), worked out once per type."""
    found = _CHECKS.get(kind.code)
    if found is None:
        found = _CHECKS[kind.code] = (
            frozenset(f.name for f in kind.fields),
            tuple((f.name, f.kind, f.required, frozenset(choice for choice, _ in f.choices)) for f in kind.fields))
    return found


_NO_CHOICES: frozenset = frozenset()


def _checked(kind: str, name: str, value: Any, required: bool, choices: frozenset, errors: list[InvalidInput]) -> Any:
    if value is None or value == "":
        if required:
            errors.append(InvalidInput(MISSING_FIELD, field=name))
        return None
    try:
        return _canonical_value(kind, value, choices)
    except (InvalidInput, InvalidOperation, TypeError, ValueError):
        errors.append(InvalidInput(BAD_FIELD, field=name))
        return None


def _canonical_value(kind: str, value: Any, choices: frozenset) -> str:
    if isinstance(value, (float, bool)):
        raise TypeError("floats and booleans are not notice data")  # money is never a float
    if kind == MONEY:
        if not isinstance(value, (Decimal, int, str)):
            raise TypeError(type(value).__name__)
        amount = to_fen(value)
        if not amount.is_finite():
            raise ValueError(value)
        return str(amount)
    if kind == NUMBER:
        number = Decimal(value if isinstance(value, (Decimal, int)) else str(value))
        if not number.is_finite():
            raise ValueError(value)
        return format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))
    if kind == DATE:
        if isinstance(value, datetime):
            return value.date().isoformat()
        return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
    if not isinstance(value, str):
        raise TypeError(type(value).__name__)
    text = " ".join(value.split())
    if not text or len(text) > TEXT_LIMIT:
        raise ValueError("text")
    if kind == CHOICE and text not in choices:
        raise ValueError(text)
    return text
