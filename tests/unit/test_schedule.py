from datetime import date

import pytest

import calendar
import random
from datetime import timedelta

from paas.policies.schedule import add_months, due_dates, months_between
from paas.policies.terms import next_due_date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_monthly_dues_from_the_31st_come_back_to_the_31st():
    dues = list(due_dates(date(2026, 1, 31), "monthly", before=date(2026, 6, 1)))
    assert dues == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]


def test_semi_annual_dues_from_a_leap_day():
    dues = list(due_dates(date(2012, 2, 29), "semi_annual", before=date(2014, 3, 1)))
    assert dues == [date(2012, 2, 29), date(2012, 8, 29), date(2013, 2, 28), date(2013, 8, 29), date(2014, 2, 28)]


def test_single_premium_has_one_due():
    assert list(due_dates(date(2020, 5, 5), "single", before=date(2030, 1, 1))) == [date(2020, 5, 5)]
    assert list(due_dates(date(2020, 5, 5), "single", before=date(2020, 5, 5))) == []


def test_next_due_date_only_while_premiums_remain():
    assert next_due_date("in_force", "annual", date(2027, 3, 1), date(2036, 3, 1)) == date(2027, 3, 1)
    assert next_due_date("in_force", "annual", date(2036, 3, 1), date(2036, 3, 1)) is None
    assert next_due_date("lapsed", "annual", date(2024, 3, 1), None) is None
    assert next_due_date("in_force", "single", date(2024, 3, 1), None) is None
    assert next_due_date("grace", "monthly", date(2026, 10, 20), None) == date(2026, 10, 20)


def test_add_months_agrees_with_the_calendar_everywhere():
    """Checked against the standard library's month lengths, around every month end of
    common, leap and century years."""
    draw = random.Random(7)
    month_ends = [date(y, m, calendar.monthrange(y, m)[1]) for y in (1900, 1999, 2000, 2023, 2024) for m in range(1, 13)]
    starts = [date(2000, 1, 1) + timedelta(days=d) for d in range(0, 9000, 7)]
    starts += [end - timedelta(days=back) for end in month_ends for back in range(4)]
    for start in starts:
        for months in (draw.randrange(-240, 241) for _ in range(10)):
            index = start.month - 1 + months
            year, month = start.year + index // 12, index % 12 + 1
            expected = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
            assert add_months(start, months) == expected, (start, months)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2020, 1, 31), date(2020, 2, 29), 0),
        (date(2020, 1, 31), date(2020, 3, 31), 2),
        (date(2020, 3, 15), date(2021, 3, 14), 11),
        (date(2020, 3, 15), date(2021, 3, 15), 12),
        (date(2021, 3, 15), date(2020, 3, 15), -12),
    ],
)
def test_months_between_counts_whole_months(start, end, months):
    assert months_between(start, end) == months
