"""Premiums and values from the engine, checked against the commutation functions directly
and against the properties any sound pricing has."""
from datetime import date
from decimal import Decimal

import pytest

from paas.actuarial import CL_2010_2013, LifeTable
from paas.products import catalogue
from paas.products.pricing import Cover, premium_for
from paas.products.values import (
    cash_value_on,
    dividend_for_year,
    loan_interest,
    policy_year_position,
    reinstatement_amount,
    survival_benefit_schedule,
    year_end_cash_value,
)


def cover(code="TERM", age=30, sex="M", sum_assured="1000000", term=20, premium_years=20, mode="annual"):
    return Cover(catalogue.product(code), age, sex, Decimal(sum_assured), term, premium_years, mode)


def test_term_net_premium_is_the_equivalence_principle_on_cl2010_2013():
    basis = LifeTable.from_csv(CL_2010_2013, sex="male").at(0.035)
    expected = 1_000_000 * basis.insurance(30, 20) / basis.annuity_due(30, 20)
    premium = premium_for(cover())
    assert premium.net_annual == Decimal(f"{expected:.2f}")


def test_gross_premium_adds_the_loading_and_fee_once():
    premium = premium_for(cover())
    spec = catalogue.product("TERM")
    expected = (premium.net_annual + spec.policy_fee) / (1 - spec.premium_loading)
    assert abs(premium.gross_annual - expected) <= Decimal("0.01")
    monthly = premium_for(cover(mode="monthly"))
    # The modal premium is the unrounded gross premium times the modal factor, rounded once.
    assert abs(monthly.modal - premium.gross_annual * Decimal("0.088")) <= Decimal("0.01")
    assert monthly.per_year > premium.per_year  # paying monthly costs a little more


@pytest.mark.parametrize("code", ["TERM", "CI"])
def test_older_and_male_lives_pay_more(code):
    young, old = premium_for(cover(code, age=25, term=20)), premium_for(cover(code, age=45, term=20))
    female = premium_for(cover(code, age=45, sex="F", term=20))
    assert young.gross_annual < old.gross_annual and female.gross_annual < old.gross_annual


def test_critical_illness_costs_more_than_death_cover_alone():
    assert premium_for(cover("CI", sum_assured="500000")).net_annual > premium_for(cover("TERM", sum_assured="500000")).net_annual


def test_whole_life_reserve_grows_and_cash_value_never_negative():
    c = cover("WLPAR", sum_assured="300000", term=None)
    annual = premium_for(c).per_year
    values = [year_end_cash_value(c, annual, t) for t in range(0, 60)]
    assert all(v >= 0 for v in values)
    assert values[0] == 0 and values[1] == 0  # the first-year surrender charge takes it all
    assert values[30] < values[40] < values[59] < c.sum_assured


def test_term_reserve_rises_then_runs_off_to_nothing_at_expiry():
    c = cover()
    annual = premium_for(c).per_year
    values = [year_end_cash_value(c, annual, t) for t in range(0, 21)]
    assert values[20] == 0 and max(values) == max(values[8:16])


def test_endowment_pays_survival_benefits_every_three_years_and_maturity():
    c = cover("ENDOW", age=5, sum_assured="100000", term=20, premium_years=10)
    schedule = survival_benefit_schedule(c, date(2020, 9, 1))
    assert [b.due_on.year for b in schedule] == [2023, 2026, 2029, 2032, 2035, 2038, 2040]
    assert [b.amount for b in schedule] == [Decimal("10000.00")] * 6 + [Decimal("100000.00")]
    # Just before maturity the reserve is the maturity benefit, discounted by less than a year.
    assert Decimal("90000") < year_end_cash_value(c, premium_for(c).per_year, 19) < Decimal("100000")


def test_cash_value_moves_in_a_straight_line_between_anniversaries():
    c = cover("WLPAR", sum_assured="300000", term=None)
    annual = premium_for(c).per_year
    start, end = year_end_cash_value(c, annual, 10), year_end_cash_value(c, annual, 11)
    mid = cash_value_on(c, annual, date(2016, 3, 1), date(2026, 8, 31)).cash_value
    assert start < mid < end
    assert cash_value_on(c, annual, date(2016, 3, 1), date(2026, 3, 1)).cash_value == start.quantize(Decimal("0.01"))


def test_policy_years_count_from_anniversaries_including_leap_days():
    assert policy_year_position(date(2012, 2, 29), date(2013, 2, 28)) == (1, Decimal(0))
    years, fraction = policy_year_position(date(2016, 3, 1), date(2026, 11, 27))
    assert years == 10 and Decimal("0.7") < fraction < Decimal("0.75")


def test_dividends_follow_the_scale_on_the_reserve():
    c = cover("WLPAR", sum_assured="300000", term=None)
    assert dividend_for_year(c, 1) == 0  # the scale starts at zero
    factors = c.factors
    held = (factors.reserve(4) + factors.net_rate) * 300000
    assert dividend_for_year(c, 5) == Decimal(f"{0.010 * held:.2f}")
    assert dividend_for_year(cover("TERM"), 5) == 0  # not participating


def test_loan_interest_is_simple_and_daily():
    assert loan_interest(Decimal("20000"), Decimal("0.05"), date(2025, 5, 1), date(2026, 3, 1)) == Decimal("832.88")
    assert loan_interest(Decimal("20000"), Decimal("0.05"), date(2026, 3, 1), date(2026, 3, 1)) == 0


def test_reinstatement_is_arrears_with_interest_plus_debt():
    amount = reinstatement_amount(Decimal("1000"), "annual", date(2020, 1, 10), date(2025, 1, 10), date(2026, 1, 10),
                                  Decimal("0.05"), None, Decimal("500"))
    # Dues on 2025-01-10 (365 days of interest) and 2026-01-10 (none), plus the debt.
    assert amount == Decimal("1000") * Decimal("1.05") + Decimal("1000") + Decimal("500")
