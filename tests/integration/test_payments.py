"""Paying premiums online through the sandbox provider: orders, the signed webhook that
credits them, declines, events out of order, refunds and expiry (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from iaas.payments.sandbox import DECLINED_CARD, SUCCEEDING_CARD
from paas.billing.dues import open_dues
from paas.billing.expiry import cancel_payment, expire_stale_orders
from paas.billing.models import PaymentOrder, PaymentRefund, WebhookEvent
from paas.billing.payments import start_payment
from paas.billing.refunds import refund
from paas.billing.webhooks import WebhookRejected, handle_event
from paas.errors import InvalidInput
from paas.policies.models import Policy, PremiumPayment
from tests.factories import make_policy, make_policyholder, principal_of
from tests.payments_support import URLS, deliver, deliver_all, session_of, signed, take_events

OCT, NOV, DEC = date(2026, 10, 20), date(2026, 11, 20), date(2026, 12, 20)


@pytest.fixture
def world(uow):
    """A monthly policy in its grace period: 20 Oct and 20 Nov unpaid, 20 Dec payable early."""
    customer, account = make_policyholder(uow)
    policy = make_policy(uow, customer, status="grace", mode="monthly", premium="300.00", issue_date=date(2022, 10, 20),
                         paid_to=OCT)
    other, other_account = make_policyholder(uow)
    theirs = make_policy(uow, other, status="grace", mode="monthly", premium="300.00", issue_date=date(2022, 10, 20),
                         paid_to=OCT)
    uow.commit()
    return principal_of(account), policy, principal_of(other_account), theirs


def _start(uow, who, policy, *dates):
    started = start_payment(uow, who, [(policy.policy_number, d) for d in dates], URLS)
    uow.commit()
    return started


def _order(uow, reference) -> PaymentOrder:
    uow.session.expire_all()
    return uow.session.scalar(select(PaymentOrder).where(PaymentOrder.reference == reference))


def _credits(uow, policy) -> dict[date, str]:
    uow.session.expire_all()
    rows = uow.session.execute(select(PremiumPayment.due_date, PremiumPayment.reference)
                               .where(PremiumPayment.policy_id == policy.id, PremiumPayment.due_date >= OCT))
    return dict(rows.all())


def test_a_card_payment_credits_the_dues_only_when_the_webhook_confirms(uow, platform, payments, world):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT, NOV)
    assert started.amount == Decimal("600.00") and not started.reused
    assert started.checkout_url.startswith("http://127.0.0.1:8000/sandbox/checkout/cs_test_")
    order = _order(uow, started.reference)
    assert order.status == "pending" and order.idempotency_key.endswith("-1")
    assert [d.in_payment for d in open_dues(uow, who.customer_id)][:2] == [started.reference] * 2
    assert _credits(uow, policy) == {}  # the redirect back proves nothing

    assert payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD).paid
    events = take_events(payments)
    assert [e["type"] for e in events] == ["checkout.session.completed"]
    assert deliver(platform, events[0]) == "succeeded"

    assert _credits(uow, policy) == {OCT: started.reference, NOV: started.reference}
    uow.session.expire_all()
    assert uow.session.get(Policy, policy.id).paid_to_date == DEC
    assert uow.session.get(Policy, policy.id).status == "in_force"  # paid beyond today: out of grace
    assert _order(uow, started.reference).status == "succeeded"
    assert deliver(platform, events[0]) == "duplicate"
    assert _credits(uow, policy) == {OCT: started.reference, NOV: started.reference}


def test_the_same_dues_again_reuse_the_pending_order(uow, payments, world):
    who, policy, _, _ = world
    first = _start(uow, who, policy, OCT)
    second = _start(uow, who, policy, OCT)
    assert second.reused and second.reference == first.reference and second.checkout_url == first.checkout_url
    assert len(payments.store.read("SELECT id FROM sessions")) == 1
    with pytest.raises(InvalidInput) as overlapping:
        _start(uow, who, policy, OCT, NOV)
    assert overlapping.value.params["reference"] == first.reference


@pytest.mark.parametrize("dates, field_message", [
    ((), "Choose at least one"),
    ((NOV,), "oldest first"),
    ((date(2027, 3, 20),), "not open for payment"),  # too far ahead
])
def test_only_the_oldest_open_dues_can_be_chosen(uow, world, dates, field_message):
    who, policy, _, _ = world
    with pytest.raises(InvalidInput) as error:
        start_payment(uow, who, [(policy.policy_number, d) for d in dates], URLS)
    assert field_message in error.value.message


def test_another_customers_policy_cannot_be_paid(uow, world):
    who, _, _, theirs = world
    with pytest.raises(InvalidInput) as error:
        start_payment(uow, who, [(theirs.policy_number, OCT)], URLS)
    assert "not open for payment" in error.value.message


def test_a_declined_card_fails_the_order_and_the_due_can_be_paid_again(uow, platform, payments, world):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT)
    result = payments.pay(session_of(started.checkout_url), DECLINED_CARD)
    assert not result.paid and result.decline_code == "generic_decline"
    assert deliver_all(platform, payments) == ["failed"]
    order = _order(uow, started.reference)
    assert order.status == "failed" and order.failure_reason == "generic_decline"
    assert not any(item.active for item in order.items)
    assert open_dues(uow, who.customer_id)[0].in_payment is None
    again = _start(uow, who, policy, OCT)
    assert again.reference != started.reference and again.checkout_url != started.checkout_url
    assert _order(uow, again.reference).idempotency_key.endswith("-2")


def test_a_failure_arriving_after_the_success_changes_nothing(uow, platform, payments, world):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT)
    session = session_of(started.checkout_url)
    payments.pay(session, DECLINED_CARD)
    payments.pay(session, SUCCEEDING_CARD)  # the customer tried another card on the same page
    failed, succeeded = take_events(payments)
    assert deliver(platform, succeeded) == "succeeded"
    assert deliver(platform, failed) == "ignored"
    assert _order(uow, started.reference).status == "succeeded"
    assert _credits(uow, policy) == {OCT: started.reference}


def test_a_success_after_the_failure_still_credits_the_unpaid_due(uow, platform, payments, world):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT)
    session = session_of(started.checkout_url)
    payments.pay(session, DECLINED_CARD)
    payments.pay(session, SUCCEEDING_CARD)
    assert deliver_all(platform, payments) == ["failed", "late success"]
    assert _order(uow, started.reference).status == "succeeded"
    assert _credits(uow, policy) == {OCT: started.reference}


def test_a_late_success_for_a_due_paid_meanwhile_is_refunded(uow, platform, payments, world):
    who, policy, _, _ = world
    first = _start(uow, who, policy, OCT)
    payments.pay(session_of(first.checkout_url), DECLINED_CARD)
    deliver_all(platform, payments)
    second = _start(uow, who, policy, OCT)
    payments.pay(session_of(second.checkout_url), SUCCEEDING_CARD)
    assert deliver_all(platform, payments) == ["succeeded"]
    payments.pay(session_of(first.checkout_url), SUCCEEDING_CARD)  # the old page, paid after all
    assert deliver_all(platform, payments) == ["late success"]

    assert _credits(uow, policy) == {OCT: second.reference}
    order = _order(uow, first.reference)
    assert order.status == "refunded" and order.refunded_amount == Decimal("300.00")
    record = uow.session.scalar(select(PaymentRefund).where(PaymentRefund.order_id == order.id))
    assert record.reason == "overpayment" and record.provider_refund_id.startswith("re_test_")  # sent after commit
    assert payments.store.read("SELECT amount FROM refunds")[0]["amount"] == 30000
    assert deliver_all(platform, payments) == ["refund confirmed"]


def test_an_amount_other_than_the_order_is_flagged_and_credits_nothing(uow, platform, payments, world):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT)
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    [event] = take_events(payments)
    event["data"]["object"]["amount_total"] = 100
    assert deliver(platform, event) == "needs_review"
    assert _order(uow, started.reference).status == "needs_review"
    assert _credits(uow, policy) == {}
    event["id"] += "-currency"
    event["data"]["object"].update(amount_total=30000, currency="usd")
    assert deliver(platform, event) == "already settled"
    assert _credits(uow, policy) == {}


@pytest.mark.parametrize("tamper", ["body", "signature", "stale", "missing", "other secret"])
def test_a_webhook_that_is_not_genuine_is_rejected_before_anything_is_kept(uow, payments, world, tamper):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT)
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    [event] = take_events(payments)
    body, header = signed(event)
    if tamper == "body":
        body = body.replace(b'"amount_total": 30000', b'"amount_total": 30001')
    elif tamper == "signature":
        header = header[:-1] + ("0" if header[-1] != "0" else "1")
    elif tamper == "stale":
        body, header = signed(event, timestamp=int(__import__("time").time()) - 301)
    elif tamper == "missing":
        header = None
    else:
        body, header = signed(event, secret="whsec_someone_else")
    with pytest.raises(WebhookRejected):
        handle_event(uow, body, header)
    uow.rollback()
    assert uow.session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
    assert _order(uow, started.reference).status == "pending"


def test_refunds_go_through_the_port_once_and_never_beyond_what_was_paid(uow, platform, payments, world):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT, NOV)
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    deliver_all(platform, payments)
    refund(uow, started.reference, Decimal("250.00"), reason="free_look", actor=who.actor)
    uow.commit()  # the refund leaves for the provider only now
    order = _order(uow, started.reference)
    assert order.status == "partially_refunded" and order.refunded_amount == Decimal("250.00")
    with pytest.raises(InvalidInput):
        refund(uow, started.reference, Decimal("350.01"), reason="free_look", actor=who.actor)
    refund(uow, started.reference, Decimal("350.00"), reason="free_look", actor=who.actor)
    uow.commit()
    assert [r["amount"] for r in payments.store.read("SELECT amount FROM refunds ORDER BY created")] == [25000, 35000]
    assert deliver_all(platform, payments) == ["refund confirmed", "refund confirmed"]
    uow.session.expire_all()
    statuses = uow.session.scalars(select(PaymentRefund.status).where(PaymentRefund.order_id == order.id)).all()
    assert statuses == ["succeeded", "succeeded"] and _order(uow, started.reference).status == "refunded"


def test_payments_left_unfinished_expire_and_release_their_dues(uow, platform, payments, clock, world):
    who, policy, _, _ = world
    started = _start(uow, who, policy, OCT)
    assert expire_stale_orders(platform) == 0
    clock.advance(timedelta(hours=1, minutes=1))
    assert expire_stale_orders(platform) == 1
    assert _order(uow, started.reference).status == "expired"
    assert open_dues(uow, who.customer_id)[0].in_payment is None
    assert deliver_all(platform, payments) == ["ignored"]  # the provider's own expiry event, after ours


def test_a_customer_can_cancel_a_waiting_payment_but_not_a_paid_one(uow, platform, payments, world):
    who, policy, other, _ = world
    started = _start(uow, who, policy, OCT)
    with pytest.raises(Exception) as not_theirs:
        cancel_payment(uow, other, started.reference)
    assert not_theirs.value.status == 404
    cancel_payment(uow, who, started.reference)
    uow.commit()
    assert _order(uow, started.reference).failure_reason == "cancelled"
    assert payments.session(session_of(started.checkout_url)).status == "expired"
    again = _start(uow, who, policy, OCT)
    payments.pay(session_of(again.checkout_url), SUCCEEDING_CARD)
    deliver_all(platform, payments)
    with pytest.raises(InvalidInput):
        cancel_payment(uow, who, again.reference)
