"""Paying premiums in the policyholder web and the API, with the sandbox's hosted checkout
page and our webhook endpoint over the app's HTTP interface."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from iaas.payments.sandbox import SUCCEEDING_CARD
from tests.factories import PASSWORD, make_policy, make_policyholder
from tests.payments_support import signed, take_events

OCT, NOV = date(2026, 10, 20), date(2026, 11, 20)
CARD = {"expiry": "12/34", "cvc": "123"}


@pytest.fixture
def policy(uow, web):
    customer, _ = make_policyholder(uow, email="payer@example.com")
    policy = make_policy(uow, customer, status="grace", mode="monthly", premium="439.16", issue_date=date(2022, 10, 20),
                         paid_to=OCT)
    other, _ = make_policyholder(uow, email="other-payer@example.com")
    make_policy(uow, other, status="grace", mode="monthly", premium="100.00", issue_date=date(2022, 10, 20), paid_to=OCT)
    uow.commit()
    web.login("payer@example.com", PASSWORD)
    return policy


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _pay(web, policy, *dates):
    values = [f"{policy.policy_number}:{d.isoformat()}" for d in dates]
    return web.post_form("/pay", {"due": values}, token_from="/pay")


def _webhook(web, event, **kwargs):
    body, header = signed(event, **kwargs)
    return web.client.post("/webhooks/payments", data=body, headers={"Stripe-Signature": header,
                                                                      "Content-Type": "application/json"})


def test_pay_page_lists_dues_with_grace_and_lapse_dates(web, policy):
    page = web.text("/pay")
    assert policy.policy_number in page and "439.16" in page
    assert "2026年12月19日" in page and "2026年12月20日" in page  # 20 Oct due: grace to 19 Dec, lapses 20 Dec
    assert page.count('type="checkbox"') == 3 and page.count(" checked") == 1  # oldest first, ready to pay
    assert "<script" not in page and "style=" not in page
    assert 'href="/pay"' in web.text("/")


def test_paying_through_the_sandbox_page_and_the_webhook(web, policy, payments):
    answer = _pay(web, policy, OCT)
    assert answer.status_code == 303
    checkout = _path(answer.headers["Location"])
    assert checkout.startswith("/sandbox/checkout/cs_test_")
    page = web.text(checkout)
    assert "¥439.16" in page and "4242 4242 4242 4242" in page

    paid = web.post_form(checkout, {"card_number": "4242 4242 4242 4242", **CARD})
    assert paid.status_code == 303
    back = web.get(_path(paid.headers["Location"]))  # /payments/return?session_id=...
    assert back.status_code == 303
    receipt_path = _path(back.headers["Location"])
    waiting = web.text(receipt_path)
    assert 'http-equiv="refresh"' in waiting and 'data-test="waiting"' in waiting

    [event] = take_events(payments)
    assert _webhook(web, event).json == {"received": True, "outcome": "succeeded"}
    assert _webhook(web, event).json == {"received": True, "outcome": "duplicate"}
    receipt = web.text(receipt_path)
    assert 'data-test="receipt"' in receipt and "http-equiv" not in receipt
    assert re.search(r'data-test="paid-to">2026年11月20日<', receipt)
    history = web.text("/payments")
    assert receipt_path.rsplit("/", 1)[-1] in history


def test_a_declined_card_shows_on_the_checkout_page_then_as_not_paid(web, policy, payments):
    checkout = _path(_pay(web, policy, OCT).headers["Location"])
    declined = web.post_form(checkout, {"card_number": "4000000000000002", **CARD})
    assert declined.status_code == 402 and 'data-test="declined"' in declined.get_data(as_text=True)
    assert "4000000000000002" not in declined.get_data(as_text=True)
    unknown = web.post_form(checkout, {"card_number": "4111111111111111", **CARD})
    assert unknown.status_code == 422
    [event] = take_events(payments)
    assert _webhook(web, event).json["outcome"] == "failed"
    reference = web.text("/payments").split('href="/payments/')[1].split('"')[0]
    page = web.text(f"/payments/{reference}")
    assert 'data-test="try-again"' in page and 'data-test="failure-reason"' in page
    assert _pay(web, policy, OCT).status_code == 303  # payable again


def test_choices_that_cannot_be_paid_are_explained(web, policy):
    answer = _pay(web, policy, NOV)
    assert answer.status_code == 422 and 'data-test="pay-error"' in answer.get_data(as_text=True)
    assert _pay(web, policy).status_code == 422
    assert web.client.post("/pay", data={"due": f"{policy.policy_number}:{OCT}"}).status_code == 400  # no CSRF token


@pytest.mark.parametrize("tamper", ["body", "stale", "missing"])
def test_the_webhook_answers_400_to_anything_not_genuine(web, policy, payments, tamper):
    checkout = _path(_pay(web, policy, OCT).headers["Location"])
    payments.pay(checkout.rsplit("/", 1)[-1], SUCCEEDING_CARD)
    [event] = take_events(payments)
    body, header = signed(event, timestamp=1_700_000_000 if tamper == "stale" else None)
    if tamper == "body":
        body = body.replace(b"43916", b"43917")
    headers = {} if tamper == "missing" else {"Stripe-Signature": header}
    answer = web.client.post("/webhooks/payments", data=body, headers=headers)
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_signature"
    assert _webhook(web, event).json["outcome"] == "succeeded"


def test_another_customers_payment_is_not_found_anywhere(web, other_web, policy, payments):
    checkout = _path(_pay(web, policy, OCT).headers["Location"])
    session_id = checkout.rsplit("/", 1)[-1]
    reference = web.text("/payments").split('href="/payments/')[1].split('"')[0]
    other_web.login("other-payer@example.com", PASSWORD)
    assert other_web.get(f"/payments/{reference}").status_code == 404
    assert other_web.get(f"/payments/return?session_id={session_id}").status_code == 404
    assert other_web.get(f"/api/v1/payments/{reference}").status_code == 404
    token = other_web.csrf_token("/payments")
    assert other_web.client.post(f"/payments/{reference}/cancel", data={"csrf_token": token}).status_code == 404
    assert reference not in other_web.text("/payments")


def test_the_sandbox_page_exists_only_in_sandbox_mode(web, policy, platform):
    checkout = _path(_pay(web, policy, OCT).headers["Location"])
    platform.payments = None
    assert web.get(checkout).status_code == 404
    web.client.set_cookie("lang", "en")
    assert "Online payment is not available" in web.text("/pay")


def test_the_api_lists_dues_starts_a_payment_and_reports_it(web, policy, payments):
    import jsonschema

    from tests.integration.test_api import _json_schema

    token = web.client.get("/api/v1/me").json["csrf_token"]
    dues = web.get("/api/v1/dues").json
    assert [d["due_date"] for d in dues["dues"]] == ["2026-10-20", "2026-11-20", "2026-12-20"]
    assert dues["dues"][0]["lapses_on"] == "2026-12-20" and dues["dues"][0]["overdue"] is True
    body = {"dues": [{"policy_number": policy.policy_number, "due_date": "2026-10-20"}]}
    assert web.client.post("/api/v1/payments", json=body).status_code == 400  # no CSRF header
    created = web.client.post("/api/v1/payments", json=body, headers={"X-CSRFToken": token})
    assert created.status_code == 201 and created.json["status"] == "pending"
    assert created.json["checkout_url"].startswith("http://127.0.0.1:8000/sandbox/checkout/")
    again = web.client.post("/api/v1/payments", json=body, headers={"X-CSRFToken": token})
    assert again.status_code == 200 and again.json["reference"] == created.json["reference"]
    bad = web.client.post("/api/v1/payments", json={"dues": [{"policy_number": policy.policy_number, "due_date": "2026-11-20"}]},
                          headers={"X-CSRFToken": token, "Accept-Language": "en"})
    assert bad.status_code == 422 and "oldest first" in bad.json["error"]["message"]
    junk = web.client.post("/api/v1/payments", json={"dues": "all"}, headers={"X-CSRFToken": token})
    assert junk.status_code == 422

    payments.pay(created.json["checkout_url"].rsplit("/", 1)[-1], SUCCEEDING_CARD)
    [event] = take_events(payments)
    assert _webhook(web, event).status_code == 200
    paid = web.get(created.headers["Location"]).json
    assert paid["status"] == "succeeded" and paid["premiums"][0]["paid_to"] == "2026-11-20"

    document = web.get("/api/v1/openapi.json").json
    components = document["components"]["schemas"]
    for body, name in ((dues, "DueList"), (paid, "Payment"), (web.get("/api/v1/payments").json, "PaymentList")):
        jsonschema.validate(body, _json_schema({**components[name], "components": {"schemas": components}}))
