"""The ages and terms a table can answer for, checked before any look-up so that a bad input
is refused with the limit it broke instead of wrapping round a Python list index."""
from __future__ import annotations

import math

from paas.errors import N_, InvalidInput


def whole_years(value: object, field: str) -> int:
    """Accept 40 (or 40.0 from a form) but not 40.5, True or '40'."""
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise InvalidInput(N_("%(value)s is not a whole number of years."), field=field, value=value)


def check_age(age: object, min_age: int, max_age: int) -> int:
    age = whole_years(age, "age")
    if not min_age <= age <= max_age:
        raise InvalidInput(
            N_("Age %(age)s is outside the mortality table, which covers ages %(minimum)s to %(maximum)s."),
            field="age", age=age, minimum=min_age, maximum=max_age,
        )
    return age


def check_term(age: int, term: object, max_age: int) -> int:
    """A term of n years from ``age`` may run to the end of the table's last year of age."""
    term = whole_years(term, "term")
    if term <= 0:
        raise InvalidInput(N_("The term must be at least one year; got %(term)s."), field="term", term=term)
    if age + term > max_age + 1:
        raise InvalidInput(
            N_("A term of %(term)s years from age %(age)s runs past the end of the mortality table: "
               "the term can be at most %(limit)s years."),
            field="term", term=term, age=age, limit=max_age + 1 - age,
        )
    return term


def check_interest(interest: object) -> float:
    try:
        rate = float(interest)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        rate = math.nan
    if isinstance(interest, bool) or not 0.0 <= rate < 1.0:
        raise InvalidInput(
            N_("The interest rate must be a number from 0 up to 1, e.g. 0.025 for two and a half per cent; "
               "got %(rate)s."),
            field="interest", rate=interest,
        )
    return rate
