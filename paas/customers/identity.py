"""Normalising and checking what identifies a person: resident ID numbers, mobiles, e-mails."""
from __future__ import annotations

import re
from datetime import date

import phonenumbers

from paas.errors import N_, InvalidInput

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_EMAIL_SHAPE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
DEFAULT_REGION = "CN"


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalise_resident_id(text: str) -> str:
    """An 18-character PRC resident ID number (GB 11643-1999) with a valid check character
    and birth date; raises ``InvalidInput`` otherwise."""
    value = re.sub(r"[\s-]", "", text or "").upper()
    if not _ID_SHAPE.match(value):
        raise InvalidInput(N_("An ID number has 18 characters: 17 digits and a digit or X."), field="id_number")
    if resident_id_check_digit(value[:17]) != value[17]:
        raise InvalidInput(N_("This ID number's check character is wrong; please check it."), field="id_number")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidInput(N_("This ID number does not contain a valid birth date."), field="id_number") from exc
    return value


def looks_like_resident_id(text: str) -> bool:
    return bool(_ID_SHAPE.match(re.sub(r"[\s-]", "", text or "").upper()))


def normalise_mobile(text: str, region: str = DEFAULT_REGION) -> str:
    """A mobile number in E.164 form (+8613812345678); raises ``InvalidInput`` otherwise."""
    raw = (text or "").strip()
    if not raw or len(raw) > 32:
        raise InvalidInput(N_("Enter a mobile number, e.g. 138 0013 8000."), field="mobile")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(N_("That is not a valid mobile number; please check it."), field="mobile") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(N_("That is not a valid mobile number; please check it."), field="mobile")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidInput(N_("Please give a mobile number, not a landline."), field="mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(text: str) -> str:
    value = (text or "").strip().lower()
    if len(value) > 254 or not _EMAIL_SHAPE.match(value):
        raise InvalidInput(N_("Enter an e-mail address such as name@example.com."), field="email")
    return value
