"""Which issue dates a day concerns: the schedule run backwards.

A policy issued on I has its y-th anniversary on add_months(I, 12 y) and its k-th premium due
on add_months(I, k * step). The cycle asks the opposite question - which issue dates have an
anniversary, or a due, on day D? - so that its SQL can select ``issue_date IN (...)``: the
same answer as the schedule by construction, portable, and no month arithmetic in SQL.
Month ends are where it matters: 28 February 2027 is the anniversary of issues on 28 and 29
February 2024, and a monthly due for issues on the 28th to the 31st of January."""
from __future__ import annotations

from datetime import date, timedelta

from paas.policies.schedule import add_months, months_between_dues

# Premiums are paid and anniversaries fall for at most this long after the issue date.
MAX_YEARS = 120


def issued_months_before(day: date, months: int) -> list[date]:
    """Every issue date I with add_months(I, months) == day."""
    earlier = add_months(day, -months)
    found = [earlier] if earlier.day == day.day else []
    if (day + timedelta(days=1)).month != day.month:  # a month end: later days clamp onto it
        last_day = (add_months(earlier.replace(day=1), 1) - timedelta(days=1)).day
        found += [earlier.replace(day=d) for d in range(day.day + 1, last_day + 1)]
    return found


def anniversary_issue_dates(day: date, *, years: int = MAX_YEARS) -> list[date]:
    """Issue dates whose policies have an anniversary (the first or a later one) on ``day``."""
    return [issued for y in range(1, years + 1) for issued in issued_months_before(day, 12 * y)]


def due_issue_dates(day: date, mode: str, *, years: int = MAX_YEARS) -> list[date]:
    """Issue dates whose policies, paying in ``mode``, have a renewal premium due on ``day``
    (the first premium, on the issue date itself, is not a renewal)."""
    step = months_between_dues(mode)
    return [issued for k in range(1, years * 12 // step + 1) for issued in issued_months_before(day, k * step)]
