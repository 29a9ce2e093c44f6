"""Quotes from typed input (any channel), the words for a product's choices, and the live
examples of the knowledge pages, checked against the engine."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paas.errors import InvalidInput, NotFound
from paas.presale import choices, examples
from paas.presale.quoting import BIRTH_DATE_FORMAT, NOT_AN_OBJECT, quote_from_fields, scheduled_benefits
from paas.products import catalogue
from paas.products.quotes import QuoteRequest, quote

TODAY = date(2026, 11, 27)
WLPAR = {"product": "WLPAR", "sex": "M", "age": "30", "sum_assured": "300000", "premium_term": "20", "mode": "annual"}


def test_typed_values_give_the_same_quote_as_the_service():
    direct = quote(QuoteRequest(product="WLPAR", sex="M", age="30", sum_assured="300000", premium_term="20", mode="annual"), TODAY)
    typed = quote_from_fields({**WLPAR, "age": 30, "sum_assured": 300000, "premium_term": 20, "term": None}, TODAY)
    assert typed.premium == direct.premium and typed.illustration == direct.illustration


def test_full_width_input_is_read_as_ascii():
    typed = quote_from_fields({**WLPAR, "product": "ｗｌｐａｒ", "sex": "Ｍ", "age": "３０", "sum_assured": "３０００００"}, TODAY)
    assert typed.premium == quote_from_fields(WLPAR, TODAY).premium


def test_a_birth_date_gives_the_age_on_the_day():
    assert quote_from_fields({**WLPAR, "age": "", "birth_date": "1996-11-28"}, TODAY).cover.age == 29
    assert quote_from_fields({**WLPAR, "age": "", "birth_date": "1996-11-27"}, TODAY).cover.age == 30


@pytest.mark.parametrize("changes, field", [
    ({"birth_date": "27/11/1996"}, "birth_date"),
    ({"birth_date": "2030-01-01"}, "birth_date"),
    ({"age": "፫"}, "age"),  # str.isdigit() says yes, int() says no: must still be a message
    ({"premium_term": "፩"}, "premium_term"),
    ({"product": "WLPAR", "term": "፲"}, "term"),
    ({"age": ["30"]}, "age"),
    ({"sum_assured": {"yuan": 1}}, "sum_assured"),
    ({"sum_assured": 1e30}, "sum_assured"),
    ({"product": "X" * 500}, "product"),
])
def test_strange_input_is_refused_with_a_field(changes, field):
    with pytest.raises(InvalidInput) as caught:
        quote_from_fields({**WLPAR, **changes}, TODAY)
    assert caught.value.field == field


def test_a_body_that_is_not_an_object_is_refused():
    for body in (None, [], "WLPAR", 3):
        with pytest.raises(InvalidInput) as caught:
            quote_from_fields(body, TODAY)
        assert caught.value.message == NOT_AN_OBJECT and caught.value.field is None
    with pytest.raises(InvalidInput) as caught:
        quote_from_fields({**WLPAR, "birth_date": "yesterday"}, TODAY)
    assert caught.value.message == BIRTH_DATE_FORMAT


def test_endowment_benefits_by_policy_year():
    quoted = quote_from_fields({"product": "ENDOW", "sex": "F", "age": "35", "sum_assured": "200000", "term": "20",
                                "premium_term": "10", "mode": "annual"}, TODAY)
    benefits = scheduled_benefits(quoted)
    assert [(b.policy_year, b.age, b.amount, b.kind) for b in benefits] == [
        *[(year, 35 + year, Decimal("20000.00"), "survival") for year in (3, 6, 9, 12, 15, 18)],
        (20, 55, Decimal("200000.00"), "maturity"),
    ]
    assert scheduled_benefits(quote_from_fields(WLPAR, TODAY)) == ()


def test_choices_in_words():
    whole_life, term_life = catalogue.product("WLPAR"), catalogue.product("TERM")
    assert [(c.value, c.label) for c in choices.term_choices(whole_life)] == [("", choices.WHOLE_OF_LIFE)]
    assert [(c.value, c.params) for c in choices.term_choices(term_life)] == [
        ("10", {"years": 10}), ("20", {"years": 20}), ("30", {"years": 30})]
    assert [c.value for c in choices.premium_term_choices(whole_life)] == ["10", "20", "to_age_60"]
    assert [c.value for c in choices.mode_choices(term_life)] == ["annual", "semi_annual", "quarterly", "monthly"]
    options = choices.dividend_options(whole_life)
    assert [o.value for o in options] == ["cash", "accumulate", "offset_premium", "paid_up_additions"]
    assert options[1].params == {"rate": "2.5%"}
    assert choices.dividend_options(term_life) == ()
    assert [c.params for c in choices.survival_benefit_terms(catalogue.product("ENDOW"))] == [
        {"years": 3, "share": "10%"}, {"share": "100%"}, {"rate": "2.5%"}]


def test_every_category_and_fund_risk_has_words():
    for spec in catalogue.on_sale():
        assert spec.category in choices.CATEGORY_LABELS
        for fund in spec.unit_linked.funds if spec.unit_linked else ():
            assert fund.risk in choices.FUND_RISK_LABELS


def test_an_unknown_product_page_is_not_found():
    assert choices.product_on_sale(" wlpar ").code == "WLPAR"
    with pytest.raises(NotFound):
        choices.product_on_sale("NOPE")
    assert choices.find_on_sale("NOPE") is None


def test_the_cash_value_example_adds_up_and_matches_the_quote():
    example = examples.cash_value_example(TODAY)
    illustration = {line.policy_year: line for line in example.quote.illustration}
    assert [line.policy_year for line in example.lines] == list(examples.SHOWN_YEARS)
    for line in example.lines:
        assert line.cash_value == illustration[line.policy_year].cash_value
        assert line.cash_value == max(Decimal(0), line.reserve - line.surrender_charge)
    first = example.lines[0]
    assert first.cash_value == 0 and first.surrender_charge > first.reserve  # never negative
    assert example.lines[-1].surrender_charge == 0
    assert example.loan_maximum == (Decimal("0.8") * illustration[10].cash_value).quantize(Decimal("0.01"))


def test_the_reinstatement_example():
    example = examples.cash_value_example(TODAY)
    reinstated = examples.reinstatement_example(example.quote, TODAY)
    assert reinstated.due_on == date(2026, 5, 1) and reinstated.grace_ended_on == date(2026, 6, 30)
    days = (TODAY - reinstated.due_on).days
    expected = example.quote.premium.modal * (1 + Decimal("0.05") * days / 365)
    assert reinstated.amount == expected.quantize(Decimal("0.01"))
    assert examples.grace_period_end(date(2026, 3, 1)) == date(2026, 4, 30)
