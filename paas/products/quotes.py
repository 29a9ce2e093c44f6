"""Quotes (报价): the premium for a cover, with an illustration of guaranteed cash values.
No login needed; the same service serves the web calculator, the API and ``portal quote``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date
from decimal import Decimal

from paas.errors import N_, InvalidInput
from paas.field_checks import FieldChecks
from paas.money import parse_amount
from paas.products import catalogue
from paas.products.eligibility import AGE_NUMBER, check_birth_date, resolve_cover
from paas.products.pricing import Cover, Premium, premium_for
from paas.products.spec import ProductSpec
from paas.products.values import year_end_cash_value

ILLUSTRATED_YEARS = 30
TERM_NUMBER = N_("Give the term as a number of years.")
AGE_OR_BIRTH_DATE = N_("Give the insured's age or date of birth.")


@dataclass(frozen=True)
class QuoteRequest:
    """What a person typed; everything is checked here, nothing is trusted."""

    product: str
    sex: str
    sum_assured: str
    mode: str
    term: str | None = None  # years, or empty for whole-life products
    premium_term: str | None = None  # years, "term" or "to_age_60"
    age: str | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class IllustrationYear:
    policy_year: int
    age: int  # at the end of the year
    premiums_paid: Decimal
    cash_value: Decimal


@dataclass(frozen=True)
class Quote:
    spec: ProductSpec
    cover: Cover
    premium: Premium

    @cached_property
    def illustration(self) -> tuple[IllustrationYear, ...]:
        """Worked out when shown: the premium itself is only a look-up and some arithmetic."""
        return illustration(self.cover, self.premium)

    @property
    def total_premiums(self) -> Decimal:
        if self.premium.payments_per_year == 0:
            return self.premium.modal
        return self.premium.per_year * self.cover.premium_years


def quote(request: QuoteRequest, today: date, checks: FieldChecks | None = None) -> Quote:
    """``checks``: faults the caller found already (a birth date it could not read), said
    together with these; what cannot be read is said at once, then the product's limits."""
    spec = catalogue.product(request.product)
    checks = checks if checks is not None else FieldChecks()
    # An unreadable birth date (said already) is not a missing age.
    age = None if any(e.field == "birth_date" for e in checks.errors) else checks(_age, request, today)
    sum_assured = checks(parse_amount, request.sum_assured or "", field="sum_assured")
    term = checks(_term, request.term)
    checks.done()
    cover = resolve_cover(
        spec,
        age=age,
        sex=(request.sex or "").strip().upper()[:1],
        sum_assured=sum_assured,
        term=term,
        premium_term=_premium_term(request.premium_term),
        mode=(request.mode or "").strip(),
    )
    return Quote(spec, cover, premium_for(cover))


def illustration(cover: Cover, premium: Premium) -> tuple[IllustrationYear, ...]:
    """Guaranteed cash values at the end of each year. Unit-linked values depend on the
    funds, so nothing is guaranteed to illustrate."""
    if cover.spec.unit_linked is not None:
        return ()
    years = min(ILLUSTRATED_YEARS, cover.factors.last_duration)
    single = premium.payments_per_year == 0
    lines = []
    for year in range(1, years + 1):
        paid = premium.modal if single else premium.per_year * min(year, cover.premium_years)
        value = year_end_cash_value(cover, premium.modal if single else premium.per_year, year)
        lines.append(IllustrationYear(year, cover.age + year, paid, value.quantize(Decimal("0.01"))))
    return tuple(lines)


def _age(request: QuoteRequest, today: date) -> int:
    if request.birth_date is not None:
        return check_birth_date(request.birth_date, today)
    text = (request.age or "").strip()
    if not text:
        raise InvalidInput(AGE_OR_BIRTH_DATE, field="age")
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        raise InvalidInput(AGE_NUMBER, field="age")
    return int(text)


def _term(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text or text == "whole_life":
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        raise InvalidInput(TERM_NUMBER, field="term")
    return int(text)


def _premium_term(text: str | None) -> int | str:
    text = (text or "").strip()
    # Only ASCII digits: str.isdigit() also accepts "²" and other digits int() refuses.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else text
