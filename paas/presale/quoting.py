"""Quotes from what a person typed, in any channel (web form, JSON body, CLI options): every
value arrives as text or a plain JSON value and is checked by the quote service, so each
channel gives the same messages for the same mistakes."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from paas.errors import N_, InvalidInput
from paas.field_checks import FieldChecks
from paas.products.quotes import Quote, QuoteRequest, quote
from paas.products.values import survival_benefit_schedule

FIELDS = ("product", "sex", "birth_date", "age", "sum_assured", "term", "premium_term", "mode")
MAX_TEXT = 40  # longer than any valid value; keeps echoed input short
_ANY_ISSUE_DATE = date(2001, 1, 1)  # benefits fall on anniversaries: only the policy year matters
NOT_AN_OBJECT = N_("Send the quote request as a JSON object.")
BIRTH_DATE_FORMAT = N_("Give the date of birth as year-month-day, e.g. 1990-05-31.")


@dataclass(frozen=True)
class ScheduledBenefit:
    policy_year: int
    age: int  # of the insured when it is paid
    amount: Decimal
    kind: str  # survival / maturity


def typed_values(fields: object) -> dict[str, str]:
    """The quote fields as trimmed text ('' when absent), whatever their JSON type. NFKC turns
    full-width digits and letters from a Chinese input method into the ASCII ones."""
    if not isinstance(fields, Mapping):
        raise InvalidInput(NOT_AN_OBJECT)
    return {name: _typed(fields.get(name)) for name in FIELDS}


def _typed(value: object) -> str:
    text = "" if value is None else unicodedata.normalize("NFKC", str(value).strip()[:MAX_TEXT]).strip()
    # The quote service checks numbers with str.isdigit(), which also accepts digits int()
    # cannot read (such as '፩'); they become '?' so the service answers with its message.
    return "".join("?" if ch.isdigit() and not ch.isdecimal() else ch for ch in text)


def quote_from_fields(fields: object, today: date) -> Quote:
    values = typed_values(fields)
    checks = FieldChecks()  # an unreadable birth date is said with the other fields' faults
    request = QuoteRequest(
        product=values["product"],
        sex=values["sex"],
        sum_assured=values["sum_assured"],
        mode=values["mode"],
        term=values["term"] or None,
        premium_term=values["premium_term"] or None,
        age=values["age"] or None,
        birth_date=checks(parse_birth_date, values["birth_date"]),
    )
    return quote(request, today, checks)


def parse_birth_date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(BIRTH_DATE_FORMAT, field="birth_date") from exc


def scheduled_benefits(quoted: Quote) -> tuple[ScheduledBenefit, ...]:
    """The survival and maturity benefits of the quoted cover, by policy year."""
    cover = quoted.cover
    lines = []
    for benefit in survival_benefit_schedule(cover, _ANY_ISSUE_DATE):
        year = benefit.due_on.year - _ANY_ISSUE_DATE.year
        lines.append(ScheduledBenefit(year, cover.age + year, benefit.amount, benefit.kind))
    return tuple(lines)
