"""External accounts and net worth through the JSON API: CRUD with the CSRF header, clear
4xx answers in the caller's language, one customer never reaching another's accounts."""
from __future__ import annotations

import pytest

from paas.assets import external
from tests.factories import PASSWORD, make_external_account, make_policyholder

BODY = {"name": "工资卡", "kind": "bank", "institution": "招商银行", "balance": "12345.60", "as_of": "2026-11-01"}
EN = {"Accept-Language": "en"}


class Api:
    """The web client speaking JSON, with the CSRF token from GET /me."""

    def __init__(self, web) -> None:
        self.client = web.client
        self.token = self.client.get("/api/v1/me").json["csrf_token"]

    def get(self, path, **kwargs):
        return self.client.get(f"/api/v1{path}", **kwargs)

    def send(self, method, path, body=None, *, headers=None, **kwargs):
        headers = {"X-CSRFToken": self.token, **(headers or {})}
        return self.client.open(f"/api/v1{path}", method=method, json=body, headers=headers, **kwargs)


@pytest.fixture
def alice(uow, web):
    account = make_policyholder(uow, email="api-ext-alice@example.com")[1]
    uow.commit()
    web.login("api-ext-alice@example.com", PASSWORD)
    return account


@pytest.fixture
def api(alice, web) -> Api:
    return Api(web)


def _accounts(uow, owner):
    uow.session.expire_all()
    return external.list_accounts(uow, owner.customer_id)


def test_me_gives_the_csrf_token(api):
    assert len(api.token) > 20


def test_create_read_update_delete(api, uow, alice):
    created = api.send("POST", "/external-accounts", BODY)
    assert created.status_code == 201
    account = created.json
    reference = account["reference"]
    assert created.headers["Location"] == f"/api/v1/external-accounts/{reference}"
    assert account["balance"] == "12345.60" and account["kind_label"] == "银行存款" and account["as_of"] == "2026-11-01"
    listed = api.get("/external-accounts").json
    assert listed["limit"] == 30 and listed["currency"] == "CNY"
    assert [a["reference"] for a in listed["accounts"]] == [reference]
    assert api.get(f"/external-accounts/{reference}", headers=EN).json["kind_label"] == "Bank deposits"

    changed = api.send("PATCH", f"/external-accounts/{reference}", {"balance": "0", "institution": None})
    assert changed.status_code == 200
    assert (changed.json["balance"], changed.json["institution"], changed.json["name"]) == ("0.00", None, "工资卡")

    assert api.send("DELETE", f"/external-accounts/{reference}").status_code == 204
    assert api.get(f"/external-accounts/{reference}").status_code == 404
    assert _accounts(uow, alice) == ()


def test_changes_without_the_csrf_header_are_refused(api, uow, alice):
    account = make_external_account(uow, alice)
    uow.commit()
    path = f"/api/v1/external-accounts/{account.reference}"
    answers = [api.client.post("/api/v1/external-accounts", json=BODY),
               api.client.patch(path, json={"balance": "1"}),
               api.client.delete(path),
               api.client.post("/api/v1/external-accounts", json=BODY, headers={"X-CSRFToken": "forged"})]
    for response in answers:
        assert response.status_code == 400 and response.json["error"]["code"] == "csrf"
        assert response.json["error"]["message"]
    assert _accounts(uow, alice) == (account,)


@pytest.mark.parametrize("change, field, english", [
    ({"balance": "-5"}, "balance", "The balance cannot be negative."),
    ({"balance": "1.999"}, "balance", "at most two decimals"),
    ({"balance": "1000000000000"}, "balance", "at most 999,999,999,999.99 yuan"),
    ({"balance": "lots"}, "balance", "Enter the balance in yuan"),
    ({"as_of": "2026-11-28"}, "as_of", "cannot be in the future"),
    ({"as_of": "1989-12-31"}, "as_of", "before 1 Jan 1990"),
    ({"name": ""}, "name", "1 to 60 characters"),
    ({"name": "n" * 61}, "name", "1 to 60 characters"),
    ({"kind": "crypto"}, "kind", "bank, securities, fund, pension or other"),
    ({"balance": 100}, "balance", "Send balance as a JSON string."),
    ({"name": None}, "name", "Send name as a JSON string."),
    ({"as_of": ["2026-01-01"]}, "as_of", "Send as_of as a JSON string."),
    ({"owner": "someone else"}, "owner", "owner is not a field of an external account."),
])
def test_invalid_input_is_422_naming_the_field_in_the_callers_language(api, uow, alice, change, field, english):
    body = {**BODY, **change}
    response = api.send("POST", "/external-accounts", body, headers=EN)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid_input" and error["field"] == field and english in error["message"]
    chinese = api.send("POST", "/external-accounts", body, headers={"Accept-Language": "zh-CN"}).json["error"]
    assert chinese["field"] == field and chinese["message"] != error["message"]
    assert _accounts(uow, alice) == ()


def test_missing_fields_get_the_services_own_message(api):
    error = api.send("POST", "/external-accounts", {"name": "x"}, headers=EN).json["error"]
    assert error["field"] == "kind" and "Choose the type of account" in error["message"]


@pytest.mark.parametrize("raw, content_type, status", [
    ("{not json", "application/json", 400), ("", "application/json", 400), ("name=x", "application/x-www-form-urlencoded", 400),
    ("[1, 2]", "application/json", 422), ('"a string"', "application/json", 422), ("null", "application/json", 400),
])
def test_bodies_that_are_not_a_json_object(api, raw, content_type, status):
    response = api.client.post("/api/v1/external-accounts", data=raw, content_type=content_type,
                               headers={"X-CSRFToken": api.token, **EN})
    assert response.status_code == status
    assert "JSON object" in response.json["error"]["message"]


def test_the_31st_account_is_refused(api, uow, alice):
    for n in range(30):
        make_external_account(uow, alice, name=f"账户{n}")
    uow.commit()
    response = api.send("POST", "/external-accounts", BODY, headers=EN)
    assert response.status_code == 422 and "at most 30 external accounts" in response.json["error"]["message"]
    assert response.json["error"]["field"] is None


def test_another_customers_accounts_are_out_of_reach(api, uow, alice):
    bob = make_policyholder(uow, name="赵强", email="api-ext-bob@example.com")[1]
    theirs = make_external_account(uow, bob, name="赵强的基金", kind="fund", balance="654321.98")
    uow.commit()
    path = f"/external-accounts/{theirs.reference}"
    missing = api.get("/external-accounts/Zz9Zz9Zz9Z").json
    for response in (api.get(path), api.send("PATCH", path, {"balance": "1"}), api.send("DELETE", path)):
        assert response.status_code == 404 and response.json == missing
        assert "654321" not in response.get_data(as_text=True)
    assert api.get("/external-accounts").json["accounts"] == []
    assert api.get("/net-worth").json["total_assets"] == "0.00"
    assert _accounts(uow, bob) == (theirs,)


def test_net_worth(api, uow, alice):
    for kind, balance in [("bank", "600.00"), ("pension", "300.00"), ("other", "100.00")]:
        make_external_account(uow, alice, kind=kind, balance=balance)
    uow.commit()
    body = api.get("/net-worth", headers=EN).json
    assert body["total_assets"] == "1000.00" and body["net_worth"] == "1000.00" and body["insurance_debt"] == "0.00"
    shares = {s["category"]: (s["amount"], s["percent"], s["label"]) for s in body["allocation"]}
    assert shares["bank"] == ("600.00", "60.0", "Bank deposits")
    assert shares["pension"] == ("300.00", "30.0", "Pension") and shares["insurance"][:2] == ("0.00", "0.0")
    assert len(shares) == 6


def test_only_signed_in_policyholders(web, uow, clock):
    import pyotp

    from tests.factories import make_staff

    assert web.get("/api/v1/external-accounts").status_code == 401
    assert web.get("/api/v1/net-worth").status_code == 401
    staff = make_staff(uow)
    uow.commit()
    web.staff_login(staff.account.email, PASSWORD, pyotp.TOTP(staff.totp_secret).at(clock.now()))
    assert web.get("/api/v1/external-accounts").status_code == 403


def test_responses_match_the_openapi_document(api, uow, alice):
    import jsonschema
    from openapi_spec_validator import validate

    document = api.get("/openapi.json").json
    validate(document)
    components = document["components"]["schemas"]

    def check(body, name):
        jsonschema.validate(body, {**components[name], "components": {"schemas": components}})

    created = api.send("POST", "/external-accounts", BODY).json
    check(created, "ExternalAccount")
    check(api.get("/external-accounts").json, "ExternalAccountList")
    check(api.get("/net-worth").json, "NetWorth")
    check(api.get("/me").json, "Me")
    check(api.send("POST", "/external-accounts", {**BODY, "balance": "-1"}).json, "InputError")
    check(BODY, "ExternalAccountInput")
    assert set(components["ExternalAccountInput"]["required"]) == {"name", "kind", "balance", "as_of"}
    assert "required" not in components["ExternalAccountChanges"]
    for path in ("/external-accounts", "/external-accounts/{reference}", "/net-worth"):
        assert path in document["paths"]
