"""Premium due dates. Each due date is counted from the issue date, not from the previous
due date, so a policy issued on 31 January falls due on 28/29 February and again on 31 March.

A change of premium mode takes effect at a policy anniversary to which premiums are paid.
Twelve months are a whole number of steps in every mode, so every anniversary is a due date
in every mode: the paid-to date stays a due date under the new mode, and the dues after it
are counted from the issue date in the new mode. That is why due_number and next_due_after
need nothing but the issue date and the mode in force; a change anywhere else would leave
the paid-to date off the new schedule (due_number returns None for it)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from paas.policies.terms import PAYMENTS_PER_YEAR, SINGLE

_MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (earlier if negative), or that month's last day.
    Called millions of times by batch work, so no calendar.monthrange (which also works
    out a weekday)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = start.day
    if day > 28:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        day = min(day, 29 if month == 2 and leap else _MONTH_LENGTHS[month - 1])
    return date(year, month, day)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    return months


def months_between_dues(mode: str) -> int:
    if mode == SINGLE:
        raise ValueError("a single-premium policy has one due date: its issue date")
    return 12 // PAYMENTS_PER_YEAR[mode]


def due_dates(issue_date: date, mode: str, *, before: date) -> Iterator[date]:
    """Every due date from the issue date up to, not including, ``before``."""
    if mode == SINGLE:
        if issue_date < before:
            yield issue_date
        return
    step = months_between_dues(mode)
    n = 0
    while (due := add_months(issue_date, n * step)) < before:
        yield due
        n += 1


def due_number(issue_date: date, mode: str, due: date) -> int | None:
    """Which due this is (0 = the first, on the issue date), or None if it is not a due
    date of the policy. Counted in calendar months, so clamped month ends still match."""
    if mode == SINGLE:
        return 0 if due == issue_date else None
    step = months_between_dues(mode)
    months = (due.year - issue_date.year) * 12 + due.month - issue_date.month
    if months < 0 or months % step:
        return None
    number = months // step
    return number if add_months(issue_date, number * step) == due else None


def next_due_after(issue_date: date, mode: str, due: date) -> date:
    """The due date following ``due``, itself a due date of the policy."""
    number = due_number(issue_date, mode, due)
    if number is None:
        raise ValueError(f"{due} is not a due date of a {mode} policy issued {issue_date}")
    if mode == SINGLE:
        raise ValueError("a single-premium policy has no further dues")
    return add_months(issue_date, (number + 1) * months_between_dues(mode))


def is_anniversary(issue_date: date, day: date) -> bool:
    """Whether ``day`` is a policy anniversary (not the issue date itself); an issue on
    29 February has its anniversaries on 28 February in common years."""
    years = day.year - issue_date.year
    return years > 0 and add_months(issue_date, 12 * years) == day
