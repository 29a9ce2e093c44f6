"""Premium due dates. Each due date is counted from the issue date, not from the previous
due date, so a policy issued on 31 January falls due on 28/29 February and again on 31 March."""
from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from paas.policies.terms import PAYMENTS_PER_YEAR, SINGLE


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


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
