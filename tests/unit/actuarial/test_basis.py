"""The pricing basis: limits refused with the limit named, textbook identities, one basis
per rate, and money out as Decimal rounded once."""
from decimal import Decimal

import pytest

from paas.actuarial import LifeTable, net_annual_premium
from paas.errors import InvalidInput


@pytest.fixture(scope="module")
def basis():
    return LifeTable.susm().at(interest=0.05)


def test_at_keeps_one_basis_per_rate():
    table = LifeTable.susm()
    assert LifeTable.susm() is table
    assert table.at(0.05) is table.at(interest=0.05) is table.at(Decimal("0.05"))
    assert table.at(0.04) is not table.at(0.05)


@pytest.mark.parametrize("rate", [-0.01, 1, 1.5, "five", None, True, float("nan")])
def test_an_interest_rate_outside_0_to_1_is_refused(rate):
    with pytest.raises(InvalidInput, match="interest rate") as caught:
        LifeTable.susm().at(rate)
    assert caught.value.field == "interest"


def test_at_zero_interest_the_annuity_is_the_curtate_expectation_plus_one():
    basis = LifeTable.susm().at(0)
    table = basis.table
    curtate = sum(table.l(age) for age in range(41, table.max_age + 1)) / table.l(40)
    assert basis.annuity_due(40) == pytest.approx(1 + curtate)
    assert basis.insurance(40) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda b: b.annuity_due(19), "Age 19 is outside the mortality table, which covers ages 20 to 130"),
        (lambda b: b.insurance(131), "Age 131 is outside"),
        (lambda b: b.q(-1), "Age -1 is outside"),
        (lambda b: b.l(40.5), "40.5 is not a whole number of years"),
        (lambda b: b.annuity_due("40"), "40 is not a whole number of years"),
        (lambda b: b.insurance(True), "True is not a whole number"),
        (lambda b: b.annuity_due(40, 0), "The term must be at least one year; got 0"),
        (lambda b: b.endowment(40, -5), "got -5"),
        (lambda b: b.pure_endowment(40, 2.5), "2.5 is not a whole number"),
        (lambda b: b.pure_endowment(40, None), "None is not a whole number"),
        (lambda b: b.insurance(100, 32), "the term can be at most 31 years"),
        (lambda b: b.endowment(130, 2), "the term can be at most 1 years"),
    ],
)
def test_ages_and_terms_outside_the_table_are_refused_with_the_limit(basis, call, says):
    with pytest.raises(InvalidInput) as caught:
        call(basis)
    assert says in str(caught.value)


def test_whole_numbers_from_a_form_are_accepted(basis):
    assert basis.annuity_due(40.0, 20.0) == basis.annuity_due(40, 20)


def test_terms_may_run_to_the_end_of_the_table(basis):
    assert basis.insurance(100, 31) == pytest.approx(basis.insurance(100))
    assert basis.pure_endowment(100, 31) == 0.0
    assert basis.endowment(130, 1) == pytest.approx(1 / 1.05)
    assert basis.annuity_due(130) == 1.0


@pytest.mark.parametrize("age", [20, 45, 70, 95, 120])
def test_textbook_identities(basis, age):
    d = 0.05 / 1.05
    assert basis.insurance(age) == pytest.approx(1 - d * basis.annuity_due(age), rel=1e-12)
    assert basis.endowment(age, 10) == pytest.approx(1 - d * basis.annuity_due(age, 10), rel=1e-12)
    assert basis.endowment(age, 10) == pytest.approx(basis.insurance(age, 10) + basis.pure_endowment(age, 10))
    assert basis.pure_endowment(age, 10) == pytest.approx(1.05**-10 * basis.l(age + 10) / basis.l(age))
    assert basis.q(age) == pytest.approx(1 - basis.l(age + 1) / basis.l(age))
    assert basis.insurance_2nd_moment(age) == pytest.approx(LifeTable.susm().at(1.05**2 - 1).insurance(age))
    assert basis.insurance_2nd_moment(age, 10) < basis.insurance(age, 10)


def test_net_premiums_are_decimal_yuan_rounded_once(basis):
    whole_life = net_annual_premium(basis, 40, 100_000)
    assert whole_life == Decimal("655.87")
    term = net_annual_premium(basis, 40, Decimal("100000"), term=20)
    assert term == (Decimal(100000) * Decimal(basis.insurance(40, 20) / basis.annuity_due(40, 20))).quantize(
        Decimal("0.01"))
    endowment = net_annual_premium(basis, 40, "100000", term=20, endowment=True)
    assert endowment > term
    assert net_annual_premium(basis, 40, 100_000, premium_years=10) > whole_life
    assert net_annual_premium(basis, 40, 0) == Decimal("0.00")


def test_the_select_model_is_lighter_for_two_years_then_ultimate():
    ultimate = LifeTable.susm()
    select = LifeTable.sssm(40)
    assert (select.min_age, select.max_age) == (40, 130)
    assert select.q(40) < select.q(41) < ultimate.q(41)
    assert select.q(40) < ultimate.q(40)
    assert select.q(42) == pytest.approx(ultimate.q(42), rel=1e-12)
    assert select.l(42) == ultimate.l(42)
    assert select.at(0.05).annuity_due(40) > ultimate.at(0.05).annuity_due(40)
    assert LifeTable.sssm(40) is select
    with pytest.raises(InvalidInput, match="covers ages 20 to 128"):
        LifeTable.sssm(129)
