"""The cycle's date arithmetic: which issue dates have an anniversary or a premium due on a
day (the schedule run backwards), at month ends, on leap days, and around a change of
premium mode at an anniversary."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from paas.cycle.dates import anniversary_issue_dates, due_issue_dates, issued_months_before
from paas.policies.schedule import add_months, due_dates, due_number, is_anniversary, next_due_after

MODES = ("annual", "semi_annual", "quarterly", "monthly")
STEP = {"annual": 12, "semi_annual": 6, "quarterly": 3, "monthly": 1}


def days(first: date, last: date):
    while first <= last:
        yield first
        first += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "months", "issued"),
    [
        (date(2026, 3, 15), 1, [date(2026, 2, 15)]),
        (date(2025, 2, 28), 1, [date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31)]),
        (date(2024, 2, 29), 1, [date(2024, 1, 29), date(2024, 1, 30), date(2024, 1, 31)]),
        (date(2024, 2, 28), 1, [date(2024, 1, 28)]),  # 29-31 January fall due on the 29th
        (date(2026, 3, 31), 1, []),  # no February day maps to 31 March
        (date(2026, 4, 30), 1, [date(2026, 3, 30), date(2026, 3, 31)]),
        (date(2025, 2, 28), 12, [date(2024, 2, 28), date(2024, 2, 29)]),
        (date(2028, 2, 29), 48, [date(2024, 2, 29)]),
        (date(2027, 2, 28), 36, [date(2024, 2, 28), date(2024, 2, 29)]),
        (date(2026, 8, 31), 6, []),  # 28 February falls due again on 28 August
    ],
)
def test_issued_months_before_at_month_ends(day, months, issued):
    assert issued_months_before(day, months) == issued
    assert all(add_months(i, months) == day for i in issued)


def test_issued_months_before_is_exactly_the_inverse_of_add_months():
    """Every issue date over three years (two leap days among them) against every day it
    maps to, for the steps of every mode and some long spans."""
    for months in (1, 3, 6, 12, 13, 48, 120):
        expected: dict[date, list[date]] = {}
        for issued in days(date(2023, 1, 1), date(2025, 12, 31)):
            expected.setdefault(add_months(issued, months), []).append(issued)
        for day in days(add_months(date(2023, 3, 1), months), add_months(date(2025, 10, 31), months)):
            assert sorted(issued_months_before(day, months)) == expected.get(day, []), (day, months)


def test_anniversaries_of_a_leap_day_issue_fall_on_28_february_in_common_years():
    issued = date(2024, 2, 29)
    assert issued in anniversary_issue_dates(date(2025, 2, 28))
    assert issued in anniversary_issue_dates(date(2028, 2, 29))
    assert issued not in anniversary_issue_dates(date(2028, 2, 28))  # a leap year: the 29th is the day
    assert issued not in anniversary_issue_dates(date(2025, 3, 1))
    assert date(2024, 2, 28) in anniversary_issue_dates(date(2028, 2, 28))
    assert is_anniversary(issued, date(2025, 2, 28)) and not is_anniversary(issued, date(2025, 3, 1))
    assert not is_anniversary(issued, issued)  # the issue date is not an anniversary


def test_anniversary_issue_dates_agree_with_the_schedule():
    for day in days(date(2027, 2, 20), date(2027, 3, 5)):
        found = set(anniversary_issue_dates(day, years=6))
        expected = {i for i in days(date(2021, 1, 1), date(2027, 3, 5)) if is_anniversary(i, day)}
        assert found == expected, day


@pytest.mark.parametrize("mode", MODES)
def test_due_issue_dates_agree_with_the_due_dates(mode):
    """Around month ends and a leap day: a policy issued on I has a renewal due on D exactly
    when I is among due_issue_dates(D)."""
    issues = list(days(date(2023, 1, 25), date(2024, 3, 5)))
    for day in days(date(2024, 1, 26), date(2024, 3, 3)):
        found = set(due_issue_dates(day, mode, years=2))
        expected = {i for i in issues if i < day and day in set(due_dates(i, mode, before=day + timedelta(days=1)))}
        assert found & set(issues) == expected, (mode, day)


def test_monthly_dues_of_a_31st_issue():
    issued = date(2026, 1, 31)
    for day in (date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2027, 2, 28)):
        assert issued in due_issue_dates(day, "monthly")
    assert issued not in due_issue_dates(date(2026, 3, 30), "monthly")
    assert issued not in due_issue_dates(issued, "monthly")  # the first premium is not a renewal


def test_a_policy_issued_on_a_leap_day_paying_monthly():
    issued = date(2024, 2, 29)
    assert [d for d in due_dates(issued, "monthly", before=date(2025, 4, 1))][-3:] == [
        date(2025, 1, 29), date(2025, 2, 28), date(2025, 3, 29)]
    assert due_number(issued, "monthly", date(2025, 2, 28)) == 12
    assert next_due_after(issued, "monthly", date(2025, 2, 28)) == date(2025, 3, 29)


class TestModeChangeAtTheAnniversary:
    """A mode change takes effect at an anniversary the policy is paid to; the dues after it
    are counted from the issue date in the new mode, so the paid-to date stays a due date."""

    issued = date(2021, 1, 31)
    anniversary = date(2026, 1, 31)

    @pytest.mark.parametrize(("old", "new"), [(a, b) for a in MODES for b in MODES if a != b])
    def test_every_anniversary_is_a_due_date_in_every_mode(self, old, new):
        assert due_number(self.issued, old, self.anniversary) == 5 * 12 // STEP[old]
        assert due_number(self.issued, new, self.anniversary) == 5 * 12 // STEP[new]
        assert next_due_after(self.issued, new, self.anniversary) == add_months(self.anniversary, STEP[new])

    def test_annual_to_monthly(self):
        assert next_due_after(self.issued, "annual", self.anniversary) == date(2027, 1, 31)
        after = [next_due_after(self.issued, "monthly", self.anniversary)]
        while len(after) < 3:
            after.append(next_due_after(self.issued, "monthly", after[-1]))
        assert after == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]  # month ends clamp, then recover

    def test_monthly_to_annual(self):
        assert next_due_after(self.issued, "annual", self.anniversary) == date(2027, 1, 31)
        # paid-to dates that are not anniversaries are not on the annual schedule
        assert due_number(self.issued, "annual", date(2026, 2, 28)) is None
        with pytest.raises(ValueError):
            next_due_after(self.issued, "annual", date(2026, 4, 30))

    def test_quarterly_to_semi_annual_mid_year_is_off_the_new_schedule(self):
        assert due_number(self.issued, "quarterly", date(2026, 4, 30)) == 21
        assert due_number(self.issued, "semi_annual", date(2026, 4, 30)) is None

    def test_leap_day_issue_changing_mode_in_a_common_year(self):
        issued, anniversary = date(2024, 2, 29), date(2025, 2, 28)
        assert due_number(issued, "annual", anniversary) == 1
        assert next_due_after(issued, "monthly", anniversary) == date(2025, 3, 29)
        assert next_due_after(issued, "quarterly", anniversary) == date(2025, 5, 29)
        assert next_due_after(issued, "annual", date(2027, 2, 28)) == date(2028, 2, 29)
