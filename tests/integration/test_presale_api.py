"""Products and quotes over the JSON API: anonymous, no CSRF token needed for a quote,
amounts as strings to the fen, every bad input a 422 naming the field in the caller's language."""
from __future__ import annotations

from datetime import date

import pytest

from paas.presale.quoting import quote_from_fields
from paas.products import catalogue
from tests.integration.test_api import _json_schema

TODAY = date(2026, 11, 27)
WLPAR = {"product": "WLPAR", "sex": "M", "age": 30, "sum_assured": "300000", "premium_term": 20, "mode": "annual"}


def quote(web, body, lang="en"):
    return web.client.post("/api/v1/quotes", json=body, headers={"Accept-Language": lang})


def test_products_on_sale_in_the_callers_language(web):
    english = web.get("/api/v1/products", headers={"Accept-Language": "en"}).json
    chinese = web.get("/api/v1/products", headers={"Accept-Language": "zh-CN"}).json
    assert [p["code"] for p in english["products"]] == [s.code for s in catalogue.on_sale()]
    term = english["products"][0]
    assert term["name"] == "Assured Term Life" and chinese["products"][0]["name"] == "安心定期寿险"
    assert term["sum_assured"] == {"min": "100000.00", "max": "5000000.00"}
    assert term["terms"] == [{"value": "10", "label": "10 years"}, {"value": "20", "label": "20 years"},
                             {"value": "30", "label": "30 years"}]
    assert term["premium_terms"] == [{"value": "term", "label": "For the whole term"}]
    assert chinese["products"][0]["category_label"] == "定期寿险"
    whole_life = english["products"][1]
    assert whole_life["terms"] == [{"value": "", "label": "Whole of life"}] and whole_life["max_age_at_expiry"] is None


def test_one_product_in_full(web):
    participating = web.get("/api/v1/products/wlpar", headers={"Accept-Language": "en"}).json
    assert [o["value"] for o in participating["dividend_options"]] == ["cash", "accumulate", "offset_premium", "paid_up_additions"]
    assert participating["survival_benefits"] is None and participating["loan_share"] == "0.8"
    endowment = web.get("/api/v1/products/ENDOW", headers={"Accept-Language": "en"}).json
    assert endowment["survival_benefits"]["every_years"] == 3
    assert endowment["survival_benefits"]["description"].startswith("Every 3 policy years: 10% of the sum assured")
    funds = web.get("/api/v1/products/ULINK", headers={"Accept-Language": "zh"}).json["funds"]
    assert funds[0] == {"code": "BOND", "name": "稳健债券型账户", "risk": "low", "risk_label": "低风险"}
    missing = web.get("/api/v1/products/NOPE", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and missing.json["error"]["message"] == "There is no product NOPE."


def test_a_quote_needs_no_sign_in_and_no_csrf_token(web):
    response = quote(web, WLPAR)
    assert response.status_code == 200
    body = response.json
    expected = quote_from_fields(WLPAR, TODAY)
    assert body["premium"] == {"per_payment": str(expected.premium.modal), "payments_per_year": 1,
                               "per_year": str(expected.premium.per_year), "annual_mode": str(expected.premium.gross_annual)}
    assert body["total_premiums"] == str(expected.total_premiums)
    assert body["illustration"][1] == {"policy_year": 2, "age": 32, "premiums_paid": str(expected.illustration[1].premiums_paid),
                                       "cash_value": str(expected.illustration[1].cash_value)}
    assert (body["term"], body["premium_years"], body["sum_assured"], body["currency"]) == (None, 20, "300000.00", "CNY")
    assert body["survival_benefits"] == []


def test_the_exemption_is_only_for_quotes(web):
    assert web.client.post("/quote", data={"product": "WLPAR"}).status_code == 400
    assert web.client.post("/advisor", data={"age": "30"}).status_code == 400


def test_an_endowment_quote_lists_its_benefits(web):
    body = quote(web, {"product": "ENDOW", "sex": "F", "birth_date": "1991-06-01", "sum_assured": 200000, "term": 20,
                       "premium_term": "10", "mode": "monthly"}).json
    assert body["age"] == 35 and body["premium"]["payments_per_year"] == 12
    assert body["survival_benefits"][-1] == {"policy_year": 20, "age": 55, "amount": "200000.00", "kind": "maturity"}


BAD = [
    ({"age": 70}, "age", "This product is for ages 0 to 65 when cover starts; the insured would be 70."),
    ({"age": None}, "age", "Give the insured's age or date of birth."),
    ({"age": [30]}, "age", "Give the age as a whole number of years."),
    ({"age": True}, "age", "Give the age as a whole number of years."),
    ({"birth_date": "30/01/1990"}, "birth_date", "Give the date of birth as year-month-day, e.g. 1990-05-31."),
    ({"sum_assured": 10000}, "sum_assured", "The sum assured must be between 50,000 and 10,000,000 yuan."),
    ({"sum_assured": 300000.5}, "sum_assured", "The sum assured must be a whole number of yuan, in steps of 1,000."),
    ({"sum_assured": -5}, "sum_assured", "Enter an amount in yuan with at most two decimals, e.g. 1000.50."),
    ({"sum_assured": {"amount": 1}}, "sum_assured", "Enter an amount in yuan with at most two decimals, e.g. 1000.50."),
    ({"term": 20}, "term", "This product covers the whole of life; it has no term to choose."),
    ({"premium_term": 15}, "premium_term", "Choose one of the premium payment periods offered for this product."),
    ({"age": 58, "premium_term": "to_age_60"}, "premium_term", "Paying to age 60 needs at least 5 years of premiums; the insured would be 58."),
    ({"mode": "weekly"}, "mode", "This way of paying is not offered for this product."),
    ({"sex": "female-ish"}, None, None),  # "F…": read as F; a first letter is enough
    ({"sex": "X"}, "sex", "Choose male or female."),
    ({"product": "NOPE"}, "product", "There is no product NOPE."),
]


@pytest.mark.parametrize("changes, field, message", BAD)
def test_bad_input_is_a_422_naming_the_field(web, changes, field, message):
    response = quote(web, {**WLPAR, **changes})
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert response.json == {"error": {"code": "invalid_input", "message": message, "field": field}}
    chinese = quote(web, {**WLPAR, **changes}, "zh").json["error"]
    assert chinese["field"] == field and chinese["message"] != message


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"WLPAR"', b""])
def test_a_body_that_is_not_a_json_object_is_a_422(web, body):
    response = web.client.post("/api/v1/quotes", data=body, content_type="application/json", headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json["error"] == {"code": "invalid_input", "message": "Send the quote request as a JSON object.", "field": None}


def test_the_openapi_document_describes_products_and_quotes(web):
    import jsonschema
    from openapi_spec_validator import validate

    document = web.get("/api/v1/openapi.json").json
    validate(document)
    assert {"/products", "/products/{code}", "/quotes"} <= set(document["paths"])
    assert document["paths"]["/quotes"]["post"]["security"] == []
    components = document["components"]["schemas"]

    def check(body, name):
        jsonschema.validate(body, _json_schema({**components[name], "components": {"schemas": components}}))

    check(web.get("/api/v1/products").json, "ProductList")
    for code in ("TERM", "WLPAR", "ENDOW", "ULINK", "CI"):
        check(web.get(f"/api/v1/products/{code}").json, "ProductDetail")
    check(quote(web, WLPAR).json, "Quote")
    check(quote(web, {**WLPAR, "product": "ENDOW", "term": 20, "premium_term": "term"}).json, "Quote")
    check(quote(web, {**WLPAR, "age": 99}).json, "QuoteError")
