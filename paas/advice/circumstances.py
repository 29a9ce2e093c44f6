"""What a visitor tells the advisor, read from typed text with a message naming the limit
for every mistake (the advisor is anonymous: nothing is trusted, nothing is stored)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from paas.errors import N_, InvalidInput

FIELDS = ("annual_income", "age", "dependents", "youngest_age", "children", "debts", "savings", "existing_cover")
MAX_AMOUNT = Decimal("1000000000")  # 10亿: anything larger is a typing slip
MAX_INCOME = Decimal("100000000")
AGES = (18, 70)
MAX_DEPENDENTS = 20
MAX_DEPENDENT_AGE = 100
_AMOUNT = re.compile(r"^-?\d{1,15}(\.\d{1,2})?$")

AMOUNT_TEXT = N_("Enter an amount in yuan, e.g. 150000 (at most two decimals).")
AMOUNT_NEGATIVE = N_("The amount cannot be negative; enter 0 if you have none.")
AMOUNT_TOO_LARGE = N_("The amount can be at most %(max)s yuan.")
INCOME_MISSING = N_("Enter your yearly income before tax, e.g. 150000 (0 if you have none).")
AGE_RANGE = N_("Give your age as a whole number from %(min)s to %(max)s.")
DEPENDENTS_RANGE = N_("Give the number of people who depend on your income as a whole number from 0 to %(max)s.")
YOUNGEST_RANGE = N_("Give the age of your youngest dependent as a whole number from 0 to %(max)s.")
CHILDREN_RANGE = N_("Children still to educate must be a whole number from 0 to your number of dependents (%(max)s).")


@dataclass(frozen=True)
class Circumstances:
    annual_income: Decimal
    age: int
    dependents: int
    youngest_age: int | None  # None without dependents
    children: int  # dependents still to put through education
    debts: Decimal
    savings: Decimal
    existing_cover: Decimal


def read_circumstances(fields: Mapping[str, object]) -> Circumstances:
    text = {name: _typed(fields.get(name)) for name in FIELDS}
    income = _amount(text, "annual_income", limit=MAX_INCOME, missing=INCOME_MISSING)
    age = _whole_number(text, "age", AGES[0], AGES[1], AGE_RANGE, min=AGES[0], max=AGES[1])
    dependents = _whole_number(text, "dependents", 0, MAX_DEPENDENTS, DEPENDENTS_RANGE, default=0, max=MAX_DEPENDENTS)
    youngest = None
    if dependents:
        youngest = _whole_number(text, "youngest_age", 0, MAX_DEPENDENT_AGE, YOUNGEST_RANGE, max=MAX_DEPENDENT_AGE)
    children = _whole_number(text, "children", 0, dependents, CHILDREN_RANGE, default=0, max=dependents)
    return Circumstances(
        annual_income=income,
        age=age,
        dependents=dependents,
        youngest_age=youngest,
        children=children,
        debts=_amount(text, "debts"),
        savings=_amount(text, "savings"),
        existing_cover=_amount(text, "existing_cover"),
    )


def _typed(value: object) -> str:
    # NFKC: full-width digits, commas and ￥ from a Chinese input method read as , ¥ and 0-9.
    return "" if value is None else unicodedata.normalize("NFKC", str(value).strip()[:40]).strip()


def _amount(text: Mapping[str, str], name: str, *, limit: Decimal = MAX_AMOUNT, missing: str | None = None) -> Decimal:
    cleaned = text[name].replace(",", "").lstrip("¥").strip()  # after NFKC "，" is "," and "￥" is "¥"
    if not cleaned:
        if missing:
            raise InvalidInput(missing, field=name)
        return Decimal(0)
    if not _AMOUNT.match(cleaned):
        raise InvalidInput(AMOUNT_TEXT, field=name)
    value = Decimal(cleaned)
    if value < 0:
        raise InvalidInput(AMOUNT_NEGATIVE, field=name)
    if value > limit:
        raise InvalidInput(AMOUNT_TOO_LARGE, field=name, max=f"{limit:,.0f}")
    return value


def _whole_number(text: Mapping[str, str], name: str, low: int, high: int, message: str, *,
                  default: int | None = None, **params: object) -> int:
    value = text[name]
    if not value and default is not None:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 3) or not low <= int(value) <= high:
        raise InvalidInput(message, field=name, **params)
    return int(value)
