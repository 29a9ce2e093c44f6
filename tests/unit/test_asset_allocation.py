"""Asset allocation: amounts by category and percentages to 0.1 that add up to 100.0."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paas.assets.allocation import CATEGORIES, allocate
from paas.assets.external import ExternalAccountLine
from paas.assets.net_worth import compose

D = Decimal


def _percents(amounts):
    return {s.category: s.percent for s in allocate(amounts)}


def test_categories_in_a_fixed_order_insurance_first():
    assert CATEGORIES == ("insurance", "bank", "securities", "fund", "pension", "other")
    assert [s.category for s in allocate({"other": D("1")})] == list(CATEGORIES)


def test_simple_shares():
    shares = _percents({"insurance": D("250.00"), "bank": D("750.00")})
    assert shares == {"insurance": D("25.0"), "bank": D("75.0"), "securities": D("0.0"), "fund": D("0.0"),
                      "pension": D("0.0"), "other": D("0.0")}


def test_thirds_still_add_up_to_exactly_100_ties_going_to_the_earlier_category():
    shares = _percents({"bank": D("1"), "fund": D("1"), "pension": D("1")})
    assert (shares["bank"], shares["fund"], shares["pension"]) == (D("33.4"), D("33.3"), D("33.3"))
    assert sum(shares.values()) == D("100.0")


def test_the_largest_remainder_gets_the_spare_tenth():
    # 16.66..% and 33.33..% floor to 16.6 and 33.3: the one tenth short goes to the larger remainder.
    shares = _percents({"bank": D("1"), "fund": D("2"), "other": D("3")})
    assert (shares["bank"], shares["fund"], shares["other"]) == (D("16.7"), D("33.3"), D("50.0"))


def test_nothing_held_is_all_zero_not_a_division_by_zero():
    assert all(s.percent == 0 and s.amount == 0 for s in allocate({}))


def test_a_tiny_holding_beside_a_large_one():
    shares = _percents({"insurance": D("999999999999.99"), "other": D("0.01")})
    assert shares["insurance"] == D("100.0") and shares["other"] == D("0.0")


def test_refuses_unknown_categories_and_negative_amounts():
    with pytest.raises(ValueError):
        allocate({"crypto": D("1")})
    with pytest.raises(ValueError):
        allocate({"bank": D("-1")})


@given(st.lists(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False), min_size=6, max_size=6))
def test_percentages_always_add_up_to_100_and_stay_within_a_tenth(values):
    amounts = dict(zip(CATEGORIES, values))
    slices = allocate(amounts)
    total = sum(values, D(0))
    if total == 0:
        assert all(s.percent == 0 for s in slices)
        return
    assert sum(s.percent for s in slices) == D("100.0")
    for s in slices:
        assert abs(s.percent - s.amount * 100 / total) < D("0.1")


def _line(kind: str, balance: str) -> ExternalAccountLine:
    return ExternalAccountLine("abcdefghij", "x", kind, None, D(balance), date(2026, 1, 1),
                               datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_net_worth_adds_insurance_and_accounts_and_subtracts_policy_loans():
    worth = compose(D("30000.00"), D("5000.00"), D("8000.00"),
                    (_line("bank", "40000.00"), _line("bank", "5000.00"), _line("fund", "20000.00")))
    amounts = {s.category: s.amount for s in worth.allocation}
    assert amounts["insurance"] == D("35000.00")  # cash value and accumulated sums
    assert amounts["bank"] == D("45000.00") and amounts["fund"] == D("20000.00")
    assert worth.total_assets == D("100000.00")
    assert worth.net_worth == D("92000.00")
    assert [(s.category, s.percent) for s in worth.held] == [("insurance", D("35.0")), ("bank", D("45.0")), ("fund", D("20.0"))]


def test_net_worth_can_be_below_zero_when_loans_exceed_assets():
    worth = compose(D("0.00"), D("0.00"), D("120.00"), ())
    assert worth.total_assets == 0 and worth.net_worth == D("-120.00") and worth.held == ()
