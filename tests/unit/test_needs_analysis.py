"""The advisor's maths: income replacement, debts and education, less what is already there,
never negative, rounded up; and every bad input refused with a message naming the limit."""
from __future__ import annotations

from decimal import Decimal

import pytest

from paas.advice import needs
from paas.advice.circumstances import AGE_RANGE, AMOUNT_NEGATIVE, AMOUNT_TEXT, AMOUNT_TOO_LARGE, read_circumstances
from paas.errors import InvalidInput

FAMILY = dict(annual_income="200000", age="35", dependents="3", youngest_age="4", children="2",
              debts="1,200,000", savings="300000", existing_cover="500000")


def analysed(**changes):
    return needs.analyse(read_circumstances({**FAMILY, **changes}))


def test_a_family_with_young_children_step_by_step():
    result = analysed()
    amounts = [step.amount for step in result.steps]
    # 18 years until the youngest is 22: 200,000 x 70% x 18; + debts + 2 x 150,000 education - savings - cover.
    assert amounts == [None, Decimal("2520000"), Decimal("1200000"), Decimal("300000"), Decimal("-300000"), Decimal("-500000")]
    assert result.support_years == 18
    assert result.shortfall == Decimal("3220000")
    assert result.life_cover == Decimal("3250000")  # up to the next 50,000 above a million
    assert result.conclusion.message == needs.ROUNDED and result.conclusion.params == {"step": "50,000"}
    assert result.steps[1].params == {"ratio": "70%", "income": Decimal("200000"), "years": 18}


def test_at_least_ten_years_of_income_however_old_the_dependents():
    result = analysed(youngest_age="17", children="0")
    assert result.support_years == 10
    assert result.steps[0].message == needs.AT_LEAST
    assert analysed(youngest_age="12").steps[0].message == needs.UNTIL_INDEPENDENT  # exactly 10 years: until 22


def test_without_dependents_no_income_is_replaced_but_debts_are():
    result = analysed(dependents="0", youngest_age="", children="", savings="0", existing_cover="0", debts="123456")
    assert result.support_years == 0
    assert result.steps[0].message == needs.NO_DEPENDENTS
    assert result.life_cover == Decimal("130000")  # up to the next 10,000 below a million
    assert result.critical_illness_multiple == 3


def test_the_need_is_never_negative():
    result = analysed(savings="9000000")
    assert result.shortfall < 0
    assert result.life_cover == 0
    assert result.conclusion.message == needs.ALREADY_COVERED


def test_critical_illness_cover_is_three_to_five_years_of_income():
    assert analysed().critical_illness_cover == Decimal("1000000")
    assert analysed(annual_income="123456.78").critical_illness_cover == Decimal("620000")  # 5 x 123,456.78, rounded up
    assert analysed(annual_income="0").critical_illness_cover == 0


@pytest.mark.parametrize("amount, rounded", [("0", "0"), ("1", "10000"), ("10000", "10000"), ("999999.99", "1000000"),
                                             ("1000000", "1000000"), ("1000001", "1050000"), ("-5", "0")])
def test_rounding_up_to_a_sensible_step(amount, rounded):
    assert needs.round_up(Decimal(amount)) == Decimal(rounded)


@pytest.mark.parametrize("field, value, message, params", [
    ("annual_income", "", None, {}),
    ("annual_income", "lots", AMOUNT_TEXT, {}),
    ("annual_income", "-1", AMOUNT_NEGATIVE, {}),
    ("annual_income", "100000000.01", AMOUNT_TOO_LARGE, {"max": "100,000,000"}),
    ("annual_income", "1e6", AMOUNT_TEXT, {}),
    ("debts", "12.345", AMOUNT_TEXT, {}),
    ("debts", "1000000001", AMOUNT_TOO_LARGE, {"max": "1,000,000,000"}),
    ("savings", "-0.01", AMOUNT_NEGATIVE, {}),
    ("age", "17", AGE_RANGE, {"min": 18, "max": 70}),
    ("age", "71", AGE_RANGE, {"min": 18, "max": 70}),
    ("age", "thirty", AGE_RANGE, {"min": 18, "max": 70}),
    ("age", "0000035", AGE_RANGE, {"min": 18, "max": 70}),
    ("age", "²", AGE_RANGE, {"min": 18, "max": 70}),
    ("dependents", "21", None, {"max": 20}),
    ("dependents", "-1", None, {"max": 20}),
    ("youngest_age", "", None, {"max": 100}),
    ("youngest_age", "101", None, {"max": 100}),
    ("children", "4", None, {"max": 3}),
])
def test_bad_input_names_the_field_and_the_limit(field, value, message, params):
    with pytest.raises(InvalidInput) as caught:
        read_circumstances({**FAMILY, field: value})
    assert caught.value.field == field
    if message:
        assert caught.value.message == message
    assert caught.value.params == params


def test_full_width_digits_and_thousand_separators_are_read():
    circumstances = read_circumstances({**FAMILY, "annual_income": "￥２００，０００", "age": "３５"})
    assert circumstances.annual_income == Decimal("200000") and circumstances.age == 35


def test_optional_fields_default_to_nothing():
    circumstances = read_circumstances({"annual_income": "50000", "age": "30"})
    assert (circumstances.dependents, circumstances.youngest_age, circumstances.children) == (0, None, 0)
    assert circumstances.debts == circumstances.savings == circumstances.existing_cover == 0
