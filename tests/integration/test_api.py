"""The JSON API serves the owner's policy data; the OpenAPI document describes it."""
from __future__ import annotations

from tests.factories import PASSWORD, make_policy, make_policyholder


def _world(uow):
    alice, _ = make_policyholder(uow, email="api-alice@example.com")
    bob, _ = make_policyholder(uow, email="api-bob@example.com")
    mine = make_policy(uow, alice, sum_assured="250000.00", premium="999.99", mode="quarterly")
    theirs = make_policy(uow, bob)
    uow.commit()
    return mine, theirs


def test_anonymous_callers_get_401_json(uow, web):
    response = web.get("/api/v1/policies")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_owner_gets_the_asset_sheet_as_json(uow, web):
    mine, theirs = _world(uow)
    web.login("api-alice@example.com", PASSWORD)
    body = web.get("/api/v1/policies").json
    assert [p["policy_number"] for p in body["policies"]] == [mine.policy_number]
    policy = body["policies"][0]
    assert policy["sum_assured"] == "250000.00" and policy["annual_premium"] == "3999.96"
    cash_value = _expected_cash_value(mine)
    assert policy["values"]["cash_value"] == str(cash_value) and cash_value > 0
    assert body["totals"] == {
        "policies_in_force": 1, "total_cover": "250000.00", "total_annual_premium": "3999.96",
        "total_cash_value": str(cash_value), "total_accumulated": "0.00", "total_debt": "0.00",
    }
    assert body["currency"] == "CNY"


def test_one_policy_in_detail_and_anothers_is_404(uow, web):
    mine, theirs = _world(uow)
    web.login("api-alice@example.com", PASSWORD)
    detail = web.get(f"/api/v1/policies/{mine.policy_number}").json
    assert detail["policy"]["policy_number"] == mine.policy_number
    assert detail["beneficiaries"][0]["share"] == "100.00"
    assert "*" in detail["owner"]["id_number_masked"]
    assert len(detail["premiums"]) == len(mine.premiums)
    response = web.get(f"/api/v1/policies/{theirs.policy_number}")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert theirs.policy_number not in str(web.get("/api/v1/policies").json)


def test_error_messages_follow_the_callers_language(uow, web):
    _world(uow)
    web.login("api-alice@example.com", PASSWORD)
    english = web.get("/api/v1/policies/P0000000000", headers={"Accept-Language": "en"}).json
    chinese = web.get("/api/v1/policies/P0000000000", headers={"Accept-Language": "zh-CN"}).json
    assert "could not find" in english["error"]["message"]
    assert english["error"]["message"] != chinese["error"]["message"]


def test_staff_sessions_are_not_policyholders(uow, web, clock):
    import pyotp

    from tests.factories import make_staff

    staff = make_staff(uow)
    uow.commit()
    web.staff_login(staff.account.email, PASSWORD, pyotp.TOTP(staff.totp_secret).at(clock.now()))
    assert web.get("/api/v1/policies").status_code == 403


def test_openapi_document_is_valid_and_matches_responses(uow, web):
    from openapi_spec_validator import validate

    document = web.get("/api/v1/openapi.json").json
    validate(document)
    schema = document["components"]["schemas"]["PolicyList"]
    assert set(schema["required"]) == {"currency", "policies", "totals"}
    assert "/policies/{policy_number}" in document["paths"]


def test_responses_validate_against_the_document(uow, web):
    import jsonschema

    mine, _ = _world(uow)
    web.login("api-alice@example.com", PASSWORD)
    document = web.get("/api/v1/openapi.json").json
    components = document["components"]["schemas"]

    def check(body, name):
        schema = _json_schema({**components[name], "components": {"schemas": components}})
        jsonschema.validate(body, schema)

    check(web.get("/api/v1/policies").json, "PolicyList")
    check(web.get(f"/api/v1/policies/{mine.policy_number}").json, "PolicyDetail")



def _expected_cash_value(policy):
    """Straight from the engine: the year-end cash values either side of today, interpolated."""
    from datetime import date
    from decimal import Decimal

    from paas.products import catalogue
    from paas.products.pricing import Cover
    from paas.products.values import year_end_cash_value

    cover = Cover(catalogue.product("TERM"), 40, "F", policy.sum_assured, 20, 20, "quarterly")
    annual = policy.modal_premium * 4
    today, last, following = date(2026, 11, 27), date(2026, 3, 1), date(2027, 3, 1)
    start, end = year_end_cash_value(cover, annual, 6), year_end_cash_value(cover, annual, 7)
    fraction = Decimal((today - last).days) / Decimal((following - last).days)
    return (start + (end - start) * fraction).quantize(Decimal("0.01"))


def _json_schema(node):
    """OpenAPI 3.0 writes "nullable: true"; JSON Schema says the same with a type list."""
    if isinstance(node, dict):
        converted = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable") and "type" in node:
            converted["type"] = [node["type"], "null"]
        return converted
    if isinstance(node, list):
        return [_json_schema(v) for v in node]
    return node
