"""Who and what a product can cover: each limit checked with a message that names it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from paas.errors import N_, InvalidInput
from paas.field_checks import FieldChecks
from paas.money import to_fen
from paas.policies.terms import SINGLE
from paas.products.pricing import Cover
from paas.products.spec import SAME_AS_TERM, TO_AGE_60, ProductSpec

AGE_RANGE = N_("This product is for ages %(min)s to %(max)s when cover starts; the insured would be %(age)s.")
TERM_CHOICES = N_("Choose a term of %(choices)s years.")
WHOLE_LIFE_ONLY = N_("This product covers the whole of life; it has no term to choose.")
EXPIRY_AGE = N_("Cover must end by age %(max)s: a %(term)s-year term from age %(age)s would end at %(end)s.")
PREMIUM_TERM_CHOICES = N_("Choose one of the premium payment periods offered for this product.")
PREMIUM_TERM_TOO_LONG = N_("Premiums cannot be paid for longer than the cover lasts (%(term)s years).")
TO_AGE_60_TOO_LATE = N_("Paying to age 60 needs at least 5 years of premiums; the insured would be %(age)s.")
SUM_RANGE = N_("The sum assured must be between %(min)s and %(max)s yuan.")
SUM_STEP = N_("The sum assured must be a whole number of yuan, in steps of 1,000.")
MODE_NOT_OFFERED = N_("This way of paying is not offered for this product.")
SEX_CHOICES = N_("Choose male or female.")
BIRTH_DATE = N_("Give a date of birth in the past (at most 100 years ago).")
AGE_NUMBER = N_("Give the age as a whole number of years.")


def age_last_birthday(birth_date: date, on: date) -> int:
    """周岁: completed years of age on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def check_birth_date(birth_date: date, today: date) -> int:
    age = age_last_birthday(birth_date, today)
    if birth_date > today or age > 100:
        raise InvalidInput(BIRTH_DATE, field="birth_date")
    return age


def resolve_cover(
    spec: ProductSpec, *, age: int, sex: str, sum_assured: Decimal, term: int | None, premium_term: int | str, mode: str
) -> Cover:
    """A priceable cover, or InvalidInput naming every limit broken (the first first). A limit
    that depends on another field (the term on the age) is checked once that field is right."""
    checks = FieldChecks()
    if sex not in ("M", "F"):
        checks.refuse(SEX_CHOICES, "sex")
    low, high = spec.issue_ages
    if not low <= age <= high:
        checks.refuse(AGE_RANGE, "age", min=low, max=high, age=age)
    else:
        term = checks(_check_term, spec, age, term)
    checks(_check_sum_assured, spec, sum_assured)
    if mode not in spec.modes:
        checks.refuse(MODE_NOT_OFFERED, "mode")
    elif checks.ok and mode != SINGLE:
        premium_years = checks(_premium_years, spec, age, term, premium_term)
    checks.done()
    return Cover(spec, age, sex, sum_assured, term, 0 if mode == SINGLE else premium_years, mode)


def _check_term(spec: ProductSpec, age: int, term: int | None) -> int | None:
    if spec.whole_life:
        if term is not None:
            raise InvalidInput(WHOLE_LIFE_ONLY, field="term")
        return None
    if term not in spec.terms:
        raise InvalidInput(TERM_CHOICES, field="term", choices=", ".join(str(t) for t in spec.terms))
    if spec.max_age_at_expiry is not None and age + term > spec.max_age_at_expiry:
        raise InvalidInput(EXPIRY_AGE, field="term", max=spec.max_age_at_expiry, term=term, age=age, end=age + term)
    return term


def _check_sum_assured(spec: ProductSpec, sum_assured: Decimal) -> None:
    low, high = spec.sum_assured
    if not low <= sum_assured <= high:
        raise InvalidInput(SUM_RANGE, field="sum_assured", min=f"{low:,.0f}", max=f"{high:,.0f}")
    if sum_assured != to_fen(sum_assured) or sum_assured % 1000:
        raise InvalidInput(SUM_STEP, field="sum_assured")


def _premium_years(spec: ProductSpec, age: int, term: int | None, premium_term: int | str) -> int:
    if premium_term not in spec.premium_terms:
        raise InvalidInput(PREMIUM_TERM_CHOICES, field="premium_term")
    if premium_term == SAME_AS_TERM:
        if term is None:
            raise InvalidInput(PREMIUM_TERM_CHOICES, field="premium_term")
        return term
    if premium_term == TO_AGE_60:
        if 60 - age < 5:
            raise InvalidInput(TO_AGE_60_TOO_LATE, field="premium_term", age=age)
        years = 60 - age
    else:
        years = int(premium_term)
    if term is not None and years > term:
        raise InvalidInput(PREMIUM_TERM_TOO_LONG, field="premium_term", term=term)
    return years

