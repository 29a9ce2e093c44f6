"""What a newcomer met paying a premium (issue 11): a payment left waiting closes by itself or
is cancelled and its premium can be chosen again, and the pages say so; Back after paying
shows the receipt; no cancel once the card was accepted; expired cards refused; the card's
last four digits on the receipt; the redirect to the checkout always allowed by the content
security policy's form-action."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from paas.billing.payments import PENDING_LIFETIME
from portal.app import create_app
from portal.config import Settings
from tests.factories import PASSWORD, make_policy, make_policyholder
from tests.payments_support import signed, take_events

OCT = date(2026, 10, 20)
CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/34", "cvc": "123"}


@pytest.fixture
def policy(uow, web):
    customer, _ = make_policyholder(uow, email="newcomer@example.com")
    policy = make_policy(uow, customer, status="grace", mode="monthly", premium="439.16", issue_date=date(2022, 10, 20),
                         paid_to=OCT)
    uow.commit()
    web.login("newcomer@example.com", PASSWORD)
    return policy


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _checkout(web, policy) -> str:
    answer = web.post_form("/pay", {"due": [f"{policy.policy_number}:{OCT.isoformat()}"]}, token_from="/pay")
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"]


def _webhook(web, event):
    body, header = signed(event)
    return web.client.post("/webhooks/payments", data=body, headers={"Stripe-Signature": header,
                                                                      "Content-Type": "application/json"})


def _paid_and_back(web, checkout: str) -> str:
    """Pays with the test card and follows the provider back; returns the payment page's path."""
    paid = web.post_form(checkout, CARD)
    assert paid.status_code == 303
    back = web.get(_path(paid.headers["Location"]))
    assert back.status_code == 303
    return _path(back.headers["Location"])


def test_the_checkout_is_reached_by_path_so_form_action_self_allows_it(web, policy):
    checkout = _checkout(web, policy)
    # A path: the browser stays on whatever origin it uses (localhost or 127.0.0.1, any port).
    assert checkout.startswith("/sandbox/checkout/cs_test_")
    paid = web.post_form(checkout, CARD)
    assert paid.headers["Location"].startswith("/payments/return?session_id=cs_test_")
    assert "form-action 'self'" in web.get("/pay").headers["Content-Security-Policy"]


def test_a_checkout_the_policy_would_block_is_refused_with_a_message_not_silently(web, policy, payments, monkeypatch):
    monkeypatch.setattr(payments, "_checkout_url", "http://pay.elsewhere.example/checkout/{session_id}")
    answer = web.post_form("/pay", {"due": [f"{policy.policy_number}:{OCT.isoformat()}"]}, token_from="/pay")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503 and 'data-test="pay-error"' in page
    assert "未扣款" in page or "nothing was charged" in page.lower()


def test_stripes_checkout_origin_is_a_form_target_when_stripe_is_configured(platform):
    settings = Settings.from_env({"PORTAL_ENV": "test", "PORTAL_SECRET_KEY": "k", "PORTAL_PAYMENTS": "stripe",
                                  "PORTAL_STRIPE_SECRET_KEY": "sk_test_x", "PORTAL_STRIPE_WEBHOOK_SECRET": "whsec_x"})
    csp = create_app(settings, platform=platform).test_client().get("/login").headers["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.stripe.com" in csp


def test_back_after_paying_shows_the_receipt_not_a_closed_checkout(web, policy, payments):
    checkout = _checkout(web, policy)
    receipt_path = _paid_and_back(web, checkout)
    [event] = take_events(payments)
    assert _webhook(web, event).json["outcome"] == "succeeded"
    again = web.get(checkout)  # the browser's Back button
    assert again.status_code == 303
    receipt = web.get(_path(again.headers["Location"]))
    assert receipt.status_code == 303 and _path(receipt.headers["Location"]) == receipt_path
    page = web.text(receipt_path)
    assert 'data-test="receipt"' in page and "This checkout is closed" not in page and "已关闭" not in page
    assert re.search(r'data-test="card-last4">[^<]*4242<', page)


def test_once_the_card_was_accepted_the_waiting_page_offers_no_cancel(web, policy, payments):
    payment_path = _paid_and_back(web, _checkout(web, policy))  # the webhook has not come yet
    page = web.text(payment_path)
    assert 'data-test="waiting"' in page and 'data-test="card-accepted"' in page and "4242" in page
    assert 'data-test="cancel-payment"' not in page and 'data-test="continue-payment"' not in page


def test_an_unpaid_checkout_says_when_it_closes_and_can_be_cancelled_to_choose_the_premium_again(web, policy):
    _checkout(web, policy)
    reference = web.text("/payments").split('href="/payments/')[1].split('"')[0]
    pay_page = web.text("/pay")
    assert 'data-test="in-payment"' in pay_page and 'data-test="in-payment-hint"' in pay_page
    assert f'value="{policy.policy_number}:{OCT.isoformat()}"' not in pay_page  # not choosable while it waits
    waiting = web.text(f"/payments/{reference}")
    assert 'data-test="cancel-payment"' in waiting
    assert re.search(r'data-test="closes-at">[^<]*\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d', waiting)
    cancelled = web.post_form(f"/payments/{reference}/cancel", {}, token_from=f"/payments/{reference}")
    assert cancelled.status_code == 303
    assert f'value="{policy.policy_number}:{OCT.isoformat()}"' in web.text("/pay")


def test_an_abandoned_checkout_closes_by_itself_after_its_lifetime(web, policy, payments, clock):
    checkout = _checkout(web, policy)
    closes = (clock.now() + PENDING_LIFETIME).timestamp()  # the order's hour, which the provider is told
    assert payments.expire_overdue(now=closes - 1) == 0
    assert payments.expire_overdue(now=closes + 1) == 1  # what the sender's every pass does
    [event] = take_events(payments)
    assert event["type"] == "checkout.session.expired"
    assert _webhook(web, event).json["outcome"] == "expired"
    assert f'value="{policy.policy_number}:{OCT.isoformat()}"' in web.text("/pay")  # choosable again
    closed = web.text(checkout)
    assert 'data-test="checkout-closed"' in closed


@pytest.mark.parametrize(("lang", "expected"), [("en", "This card has expired: its expiry date 01/20 is in the past"),
                                                ("zh", "此卡已过期")])
def test_the_sandbox_refuses_an_expired_card_as_stripes_test_mode_does(web, policy, payments, lang, expected):
    web.client.set_cookie("lang", lang)
    checkout = _checkout(web, policy)
    refused = web.post_form(checkout, {**CARD, "expiry": "01/20"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'data-test="card-error"' in page and expected in page
    assert payments.store.undelivered() == []  # nothing was charged, nothing to tell
    last_month = web.post_form(checkout, {**CARD, "expiry": "10/26"})  # the test clock is in November 2026
    assert last_month.status_code == 422
    this_month = web.post_form(checkout, {**CARD, "expiry": "11/26"})  # valid to the end of its month
    assert this_month.status_code == 303


def test_a_waiting_payment_from_an_earlier_run_leads_to_this_runs_checkout(web, policy, payments, monkeypatch):
    monkeypatch.setattr(payments, "_checkout_url", "http://127.0.0.1:8999/sandbox/checkout/{session_id}")  # an old port
    first = _checkout(web, policy)
    assert first.startswith("/sandbox/checkout/cs_test_")
    again = _checkout(web, policy)  # the same dues again: the same order, by path on this origin
    assert again == first
    reference = web.text("/payments").split('href="/payments/')[1].split('"')[0]
    assert f'href="{first}" data-test="continue-payment"' in web.text(f"/payments/{reference}")


def test_a_payment_whose_card_was_accepted_cannot_be_cancelled(web, policy):
    payment_path = _paid_and_back(web, _checkout(web, policy))
    refused = web.post_form(f"{payment_path}/cancel", {}, token_from=payment_path)
    assert refused.status_code == 422


def test_the_provider_is_told_when_the_checkout_closes_the_hour_the_page_shows(web, policy, payments, clock):
    checkout = _checkout(web, policy)
    row = payments.store.read("SELECT request FROM sessions WHERE id = ?", checkout.rsplit("/", 1)[-1])[0]
    assert '"expires_at": %d' % int((clock.now() + PENDING_LIFETIME).timestamp()) in row["request"]
