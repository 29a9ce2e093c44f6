"""Recommended products: within each product's limits, with the right reasons, and every
"Get a quote" link prefilled with a cover the quote service can price."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paas.advice import recommend
from paas.advice.advisor import advise
from paas.presale.quoting import quote_from_fields

TODAY = date(2026, 11, 27)
FAMILY = dict(annual_income="200000", age="35", dependents="3", youngest_age="4", children="2",
              debts="1200000", savings="300000", existing_cover="500000")


def by_code(advice):
    return {r.spec.code: r for r in advice.recommendations}


def test_a_young_family_gets_term_life_critical_illness_an_endowment_and_a_lasting_layer():
    found = by_code(advise(FAMILY))
    assert list(found) == ["TERM", "CI", "ENDOW", "WLPAR"]
    term = found["TERM"]
    assert term.sum_assured == Decimal("3250000") and term.term == 20  # the shortest term covering 18 years
    assert term.reason == recommend.TERM_LIFE and term.params["years"] == 20
    assert found["CI"].sum_assured == Decimal("1000000") and found["CI"].params["multiple"] == 5
    assert found["ENDOW"].sum_assured == Decimal("300000") and found["ENDOW"].params["share"] == "10%"
    assert found["WLPAR"].sum_assured == Decimal("200000") and found["WLPAR"].term is None
    assert term.quote_fields() == {"product": "TERM", "age": "35", "sum_assured": "3250000", "premium_term": "term",
                                   "mode": "annual", "term": "20"}


def test_a_need_above_the_products_maximum_is_capped_and_says_so():
    found = by_code(advise({**FAMILY, "annual_income": "5000000"}))
    assert found["TERM"].sum_assured == Decimal("5000000") and found["TERM"].capped_at == "5,000,000"
    assert found["CI"].capped_at == "1,000,000"
    assert found["ENDOW"].capped_at is None


def test_term_life_ends_by_its_expiry_age():
    found = by_code(advise({**FAMILY, "age": "55", "youngest_age": "1"}))
    assert found["TERM"].term == 20  # 30 years would end at 85, beyond 80


def test_too_old_for_term_life_whole_life_carries_the_need():
    found = by_code(advise({**FAMILY, "age": "62", "children": "0"}))
    assert list(found) == ["WLPAR"]
    assert found["WLPAR"].reason == recommend.WHOLE_LIFE_INSTEAD
    assert found["WLPAR"].sum_assured == advise({**FAMILY, "age": "62", "children": "0"}).analysis.life_cover


def test_nobody_can_be_covered_past_every_products_ages():
    assert advise({**FAMILY, "age": "70"}).recommendations == ()


def test_someone_alone_without_debts_gets_critical_illness_and_whole_life_only():
    found = by_code(advise({"annual_income": "80000", "age": "28"}))
    assert list(found) == ["CI", "WLPAR"]
    assert found["CI"].sum_assured == Decimal("240000")
    assert found["WLPAR"].sum_assured == Decimal("80000")


@pytest.mark.parametrize("age", [18, 25, 35, 45, 50, 55, 58, 60, 61, 65])
@pytest.mark.parametrize("income", ["0", "36000", "250000", "3000000"])
def test_every_recommendation_can_be_quoted(age, income):
    advice = advise({**FAMILY, "age": str(age), "annual_income": income, "youngest_age": "0", "children": "1"})
    for found in advice.recommendations:
        quoted = quote_from_fields({**found.quote_fields(), "sex": "F"}, TODAY)
        assert quoted.cover.sum_assured == found.sum_assured
