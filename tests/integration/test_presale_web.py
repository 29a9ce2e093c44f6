"""Products and the quote calculator, for anyone, in Chinese and English: who can buy what,
the same premium as the service, and every bad input a 422 naming the limit by its field."""
from __future__ import annotations

import re
from datetime import date

import pytest

from paas.presale.quoting import quote_from_fields
from paas.products import catalogue
from saas.i18n import money
from tests.integration.presale_pages import field_error, page, post

TODAY = date(2026, 11, 27)
TERM = {"product": "TERM", "sex": "F", "age": "35", "sum_assured": "500000", "term": "20", "premium_term": "term", "mode": "monthly"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_products_lists_every_product_on_sale_with_who_can_buy_it(web, lang):
    status, body = page(web, "/products", lang)
    assert status == 200
    for spec in catalogue.on_sale():
        assert spec.name(lang) in body and spec.description(lang) in body
        assert f'href="/quote?product={spec.code}"' in body
    assert ("Ages 18 to 60 when cover starts; cover ends by age 80" if lang == "en" else "投保年龄18至60周岁；保障最长至80周岁") in body
    assert ("¥100,000 to ¥5,000,000" if lang == "en" else "¥100,000至¥5,000,000") in body
    assert ("10 years, 20 years, 30 years" if lang == "en" else "10年、20年、30年") in body


def test_the_participating_product_explains_its_four_dividend_options(web):
    status, body = page(web, "/products/WLPAR")
    assert status == 200
    for label in ("Cash", "Accumulate at interest", "Reduce premiums", "Paid-up additions"):
        assert f"<dt>{label}</dt>" in body
    assert "earn interest (currently 2.5% a year)" in body and "Dividends are not guaranteed" in body
    assert 'href="/quote?product=WLPAR"' in body
    assert "累积生息" in page(web, "/products/WLPAR", "zh")[1]


def test_the_endowment_sets_out_its_survival_benefits_in_words(web):
    _, body = page(web, "/products/ENDOW")
    assert "Every 3 policy years: 10% of the sum assured (a survival benefit)." in body
    assert "at the end of policy years 3, 6, 9, 12, 15, 18, then ¥100,000 at the end of year 20" in body
    assert "每满3个保单年度：给付保额的10%（生存保险金）。" in page(web, "/products/ENDOW", "zh")[1]


def test_the_unit_linked_product_lists_its_funds_with_risk_levels(web):
    _, body = page(web, "/products/ULINK")
    assert re.search(r"Steady Bond Fund</td><td><span class=\"risk risk-low\">Low risk", body)
    assert re.search(r"Growth Equity Fund</td><td><span class=\"risk risk-high\">High risk", body)
    assert "稳健债券型账户" in page(web, "/products/ULINK", "zh")[1]


def test_an_unknown_product_is_a_404_page(web):
    status, body = page(web, "/products/NOPE")
    assert status == 404 and "There is no product NOPE." in body


def test_the_quote_form_offers_only_the_products_choices_and_keeps_a_prefill(web):
    _, term_form = page(web, "/quote?product=TERM&age=41&sum_assured=800000")
    assert re.findall(r'<option value="(\w*)"', term_form.split('id="term"')[1].split("</select>")[0]) == ["10", "20", "30"]
    assert 'value="to_age_60"' not in term_form and 'value="single"' not in term_form
    assert 'id="age" name="age" type="text" inputmode="numeric" maxlength="3" value="41"' in term_form
    _, whole_life = page(web, "/quote?product=WLPAR")
    assert '<select id="term"' not in whole_life and 'value="to_age_60"' in whole_life and "Whole of life" in whole_life
    status, chooser = page(web, "/quote")
    assert status == 200 and 'data-test="quote-form"' not in chooser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_quote_page_shows_the_services_premium_and_illustration(web, lang):
    expected = quote_from_fields(TERM, TODAY)
    status, body = post(web, "/quote", TERM, lang, token_from="/quote?product=TERM")
    assert status == 200
    assert f'data-test="premium-per-payment">{money(expected.premium.modal)}<' in body
    assert f'data-test="premium-per-year">{money(expected.premium.per_year)}<' in body
    assert f'data-test="total-premiums">{money(expected.total_premiums)}<' in body
    rows = re.findall(r"<tr><td>(\d+)</td><td>\d+</td><td class=\"num\">[^<]+</td><td class=\"num\">([^<]+)</td></tr>", body)
    assert [(int(year), value) for year, value in rows] == [(line.policy_year, money(line.cash_value)) for line in expected.illustration]
    assert ("Guaranteed cash values" if lang == "en" else "保证现金价值") in body


def test_a_single_premium_and_a_unit_linked_quote(web):
    single = {**TERM, "product": "ENDOW", "mode": "single", "premium_term": ""}
    status, body = post(web, "/quote", single, token_from="/quote?product=ENDOW")
    assert status == 200 and "Single premium" in body and 'data-test="benefits"' in body
    linked = {**TERM, "product": "ULINK", "term": "", "premium_term": "10", "mode": "annual"}
    status, body = post(web, "/quote", linked, token_from="/quote?product=ULINK")
    assert status == 200 and "no value is guaranteed" in body and 'data-test="illustration"' not in body


BAD_QUOTES = [
    ({"age": "61"}, "age", "This product is for ages 18 to 60 when cover starts; the insured would be 61."),
    ({"age": "", "birth_date": ""}, "age", "Give the insured's age or date of birth."),
    ({"age": "abc"}, "age", "Give the age as a whole number of years."),
    ({"birth_date": "1990-13-01"}, "birth_date", "Give the date of birth as year-month-day, e.g. 1990-05-31."),
    ({"birth_date": "2027-01-01"}, "birth_date", "Give a date of birth in the past (at most 100 years ago)."),
    ({"sum_assured": "50000"}, "sum_assured", "The sum assured must be between 100,000 and 5,000,000 yuan."),
    ({"sum_assured": "123456"}, "sum_assured", "The sum assured must be a whole number of yuan, in steps of 1,000."),
    ({"sum_assured": "-1"}, "sum_assured", "Enter an amount in yuan with at most two decimals, e.g. 1000.50."),
    ({"sum_assured": "lots"}, "sum_assured", "Enter an amount in yuan with at most two decimals, e.g. 1000.50."),
    ({"term": "15"}, "term", "Choose a term of 10, 20, 30 years."),
    ({"age": "55", "term": "30"}, "term", "Cover must end by age 80: a 30-year term from age 55 would end at 85."),
    ({"premium_term": "to_age_60"}, "premium_term", "Choose one of the premium payment periods offered for this product."),
    ({"mode": "weekly"}, "mode", "This way of paying is not offered for this product."),
    ({"sex": "X"}, "sex", "Choose male or female."),
]


@pytest.mark.parametrize("changes, field, message", BAD_QUOTES)
def test_bad_input_is_a_422_with_the_message_by_the_field_and_the_input_kept(web, changes, field, message):
    status, body = post(web, "/quote", {**TERM, **changes}, token_from="/quote?product=TERM")
    assert status == 422
    assert field_error(body, field) == message
    typed = changes.get(field, "")
    if typed and field not in ("term", "premium_term", "mode", "sex"):
        assert f'value="{typed}" aria-invalid="true"' in body


def test_bad_input_in_chinese(web):
    status, body = post(web, "/quote", {**TERM, "sum_assured": "50000"}, "zh", token_from="/quote?product=TERM")
    assert status == 422 and field_error(body, "sum_assured") == "保额须在100,000元至5,000,000元之间。"


def test_an_unknown_product_is_named_above_the_form(web):
    status, body = post(web, "/quote", {**TERM, "product": "XX"}, token_from="/quote?product=TERM")
    assert status == 422 and "There is no product XX." in body and 'data-test="quote-form"' not in body
    status, body = page(web, "/quote?product=XX")
    assert status == 422 and "There is no product XX." in body


def test_the_quote_form_needs_its_csrf_token(web):
    assert web.client.post("/quote", data=TERM).status_code == 400


def test_a_quote_with_every_field_wrong_marks_each_at_once(web):
    unreadable = {**TERM, "sex": "X", "age": "abc", "sum_assured": "lots", "term": "x", "mode": "weekly"}
    status, body = post(web, "/quote", unreadable, token_from="/quote?product=TERM")
    assert status == 422 and "3 fields need correcting" in body  # what cannot be read, first
    assert {f for f in ("age", "sum_assured", "term") if field_error(body, f)} == {"age", "sum_assured", "term"}
    limits = {**TERM, "sex": "X", "age": "90", "sum_assured": "50000", "mode": "weekly"}
    status, body = post(web, "/quote", limits, token_from="/quote?product=TERM")
    assert status == 422 and "4 fields need correcting" in body  # then every limit of the product
    assert field_error(body, "sex") == "Choose male or female."
    assert field_error(body, "mode") == "This way of paying is not offered for this product."
    assert field_error(body, "sum_assured").startswith("The sum assured must be between")
    assert field_error(body, "age").startswith("This product is for ages")
