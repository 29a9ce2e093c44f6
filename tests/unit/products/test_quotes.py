"""Quotes check every limit with a message naming it, and price what they accept."""
from datetime import date

import pytest

from paas.errors import InvalidInput
from paas.products.quotes import QuoteRequest, quote

TODAY = date(2026, 11, 27)


def ask(**fields):
    base = {"product": "TERM", "sex": "M", "sum_assured": "1000000", "mode": "annual", "term": "20",
            "premium_term": "term", "age": "30"}
    return quote(QuoteRequest(**{**base, **fields}), TODAY)


def test_a_valid_quote_prices_and_illustrates():
    result = ask()
    assert result.premium.per_year > 0 and result.total_premiums == result.premium.per_year * 20
    assert len(result.illustration) == 20
    assert result.illustration[-1].cash_value == 0  # term cover has nothing left at expiry


def test_age_from_a_birth_date_is_age_last_birthday():
    exact = quote(QuoteRequest("TERM", "M", "1000000", "annual", "20", "term", birth_date=date(1996, 11, 28)), TODAY)
    assert exact.cover.age == 29


@pytest.mark.parametrize(
    ("fields", "field", "params"),
    [
        ({"age": "61"}, "age", {"min": 18, "max": 60, "age": 61}),
        ({"age": "17"}, "age", {"min": 18, "max": 60, "age": 17}),
        ({"age": "abc"}, "age", {}),
        ({"term": "25"}, "term", {"choices": "10, 20, 30"}),
        ({"age": "55", "term": "30"}, "term", {"max": 80, "term": 30, "age": 55, "end": 85}),
        ({"sum_assured": "99000"}, "sum_assured", {"min": "100,000", "max": "5,000,000"}),
        ({"sum_assured": "100500"}, "sum_assured", {}),
        ({"sum_assured": "-5"}, "sum_assured", {}),
        ({"sum_assured": "1e6"}, "sum_assured", {}),
        ({"product": "XYZ"}, "product", {"code": "XYZ"}),
        ({"mode": "weekly"}, "mode", {}),
        ({"sex": "X"}, "sex", {}),
        ({"premium_term": "10"}, "premium_term", {}),
        ({"product": "WLPAR", "term": "", "premium_term": "to_age_60", "age": "56", "sum_assured": "100000"},
         "premium_term", {"age": 56}),
        ({"product": "WLPAR", "term": "20", "premium_term": "20", "sum_assured": "100000"}, "term", {}),
    ],
)
def test_each_limit_is_named(fields, field, params):
    with pytest.raises(InvalidInput) as error:
        ask(**fields)
    assert error.value.field == field
    for key, value in params.items():
        assert error.value.params[key] == value


def test_unit_linked_premium_follows_the_cover_multiple():
    result = ask(product="ULINK", term="", premium_term="10", sum_assured="300000", mode="monthly", sex="F", age="40")
    assert result.premium.gross_annual == 15000  # 300,000 / 20
    assert result.illustration == ()  # fund values are not guaranteed
