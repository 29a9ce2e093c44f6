from datetime import date

import pytest

from paas.policies.schedule import add_months, due_dates
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
