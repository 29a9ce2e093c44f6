"""A refund that fails after the provider accepted it (Stripe's ``refund.failed``; the sandbox's
card 4000 0000 0000 5126) is not lost: the amount is refundable again, the customer's
policies get an event for the notices, the audit says so, and the console lists it for a
person. Replays change nothing; a failure that overtakes the refund's own commit is answered
503 and applied on redelivery (SQLite and PostgreSQL)."""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from iaas.payments import PaymentProviderError, RefundResult
from iaas.payments.sandbox import REFUND_FAILS_CARD, SUCCEEDING_CARD
from paas.audit.models import AuditEntry
from paas.billing.models import PaymentOrder, PaymentRefund, WebhookEvent
from paas.billing.payments import start_payment
from paas.billing.refunds import refund, send_pending_refunds
from paas.billing.webhooks import WebhookTooEarly
from paas.notices.models import PolicyEvent
from tests.factories import PASSWORD, make_policy, make_policyholder, principal_of
from tests.payments_support import URLS, deliver, deliver_all, session_of, signed, take_events
from tests.servicing_support import staff_signed_in
from tests.web_client import WebClient

OCT = date(2026, 10, 20)


@pytest.fixture
def paid(uow, platform, payments):
    """Two policies' premiums paid in one payment with the card whose refunds fail."""
    customer, account = make_policyholder(uow, email="refund-holder@example.com", mobile="+8613911112222")
    first = make_policy(uow, customer, status="grace", mode="monthly", premium="300.00", issue_date=date(2022, 10, 20),
                        paid_to=OCT)
    second = make_policy(uow, customer, status="grace", mode="monthly", premium="200.00", issue_date=date(2022, 10, 20),
                         paid_to=OCT)
    uow.commit()
    who = principal_of(account)
    started = start_payment(uow, who, [(first.policy_number, OCT), (second.policy_number, OCT)], URLS)
    uow.commit()
    assert payments.pay(session_of(started.checkout_url), REFUND_FAILS_CARD).paid
    assert deliver_all(platform, payments) == ["succeeded"]
    return who, customer, (first, second), started.reference


def _refund(uow, reference, amount="500.00", who=None):
    record = refund(uow, reference, Decimal(amount), reason="free_look", actor=who.actor if who else None)
    uow.commit()  # sent to the provider after the commit
    return record


def _state(uow, reference):
    uow.session.expire_all()
    order = uow.session.scalar(select(PaymentOrder).where(PaymentOrder.reference == reference))
    records = uow.session.scalars(select(PaymentRefund).where(PaymentRefund.order_id == order.id)
                                  .order_by(PaymentRefund.id)).all()
    return order, records


def _counts(uow):
    uow.session.expire_all()
    return {model.__name__: uow.session.scalar(select(func.count()).select_from(model))
            for model in (WebhookEvent, PolicyEvent, AuditEntry, PaymentRefund)}


def test_a_refund_that_fails_after_it_was_accepted_gives_the_amount_back_and_is_told(uow, platform, payments, clock, paid):
    who, _, (first, second), reference = paid
    _refund(uow, reference, who=who)
    order, [record] = _state(uow, reference)
    assert (order.status, order.refunded_amount) == ("refunded", Decimal("500.00"))
    assert record.status == "pending" and record.provider_refund_id.startswith("re_test_")  # accepted, not done
    assert payments.store.read("SELECT COUNT(*) FROM refunds")[0][0] == 0  # the sandbox counts nothing refunded

    [event] = take_events(payments)
    assert event["type"] == "refund.failed" and event["data"]["object"]["id"] == record.provider_refund_id
    assert deliver(platform, event) == "refund failed"

    order, [record] = _state(uow, reference)
    assert (order.status, order.refunded_amount) == ("succeeded", Decimal("0.00"))
    assert (record.status, record.failure_reason, record.failed_at) == ("failed", "expired_or_canceled_card", clock.now())
    events = uow.session.execute(select(PolicyEvent.policy_id, PolicyEvent.event_date, PolicyEvent.detail)
                                 .where(PolicyEvent.type == "refund_failed").order_by(PolicyEvent.policy_id)).all()
    assert [(policy_id, on) for policy_id, on, _ in events] == [(first.id, clock.today()), (second.id, clock.today())]
    assert json.loads(events[0].detail) == {"reference": reference, "amount": "500.00", "refund_reason": "free_look",
                                            "failure_reason": "expired_or_canceled_card"}
    [audit] = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "payment.refund_failed")).all()
    assert audit.subject == f"payment:{reference}"
    assert json.loads(audit.detail) == {"amount": "500.00", "reason": "expired_or_canceled_card",
                                        "refund": record.provider_refund_id, "event": event["id"]}
    assert uow.session.get(WebhookEvent, event["id"]).order_reference == reference

    again = _refund(uow, reference, who=who)  # the amount is refundable again (here: the same card, failing again)
    assert again.idempotency_key.endswith("-2") and again.provider_refund_id != record.provider_refund_id


def test_the_same_failure_replayed_changes_nothing_more(uow, platform, payments, paid):
    who, _, _, reference = paid
    _refund(uow, reference, "120.00", who=who)
    [event] = take_events(payments)
    assert deliver(platform, event) == "refund failed"
    before, order_before = _counts(uow), _state(uow, reference)[0].refunded_amount
    assert [deliver(platform, event) for _ in range(5)] == ["duplicate"] * 5
    twin = {**event, "id": event["id"] + "-resent"}  # the provider telling it again under another event id
    assert deliver(platform, twin) == "already failed"
    after = _counts(uow)
    assert after == {**before, "WebhookEvent": before["WebhookEvent"] + 1}
    order, [record] = _state(uow, reference)
    assert order.refunded_amount == order_before == Decimal("0.00") and record.status == "failed"


def test_a_refund_confirmed_first_and_failed_later_still_fails(uow, platform, payments, paid):
    """Stripe may report the refund as made (``charge.refunded``) before it fails."""
    who, _, _, reference = paid
    _refund(uow, reference, who=who)
    [failed] = take_events(payments)
    payment_id = failed["data"]["object"]["payment_intent"]
    confirmed = {"id": "evt_test_confirmed", "object": "event", "type": "charge.refunded", "created": 1,
                 "data": {"object": {"id": "ch_" + payment_id[3:], "object": "charge", "payment_intent": payment_id,
                                     "amount": 50000, "amount_refunded": 50000, "currency": "cny", "metadata": {}}}}
    assert deliver(platform, confirmed) == "refund confirmed"
    assert _state(uow, reference)[1][0].status == "succeeded"
    assert deliver(platform, failed) == "refund failed"
    order, [record] = _state(uow, reference)
    assert (record.status, order.refunded_amount, order.status) == ("failed", Decimal("0.00"), "succeeded")


class AnswerLost:
    """The provider accepts the refund but its answer never reaches us (a timeout, a crash
    before our commit): the refund's provider id is not stored yet when its event comes."""

    def __init__(self, inner) -> None:
        self.inner, self.name = inner, inner.name

    def refund(self, payment_id, amount_fen, idempotency_key):
        self.inner.refund(payment_id, amount_fen, idempotency_key)
        raise PaymentProviderError("read timed out")

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_failure_before_the_refund_is_recorded_is_answered_503_and_kept_nowhere(uow, platform, payments, app, paid):
    who, _, _, reference = paid
    platform.payments = AnswerLost(payments)
    _refund(uow, reference, who=who)
    _, [record] = _state(uow, reference)
    assert record.provider_refund_id is None and record.status == "pending"
    [event] = take_events(payments)
    before = _counts(uow)

    body, header = signed(event)
    answer = app.test_client().post("/webhooks/payments", data=body, headers={"Stripe-Signature": header})
    assert answer.status_code == 503 and answer.json["error"]["code"] == "retry_later"
    with pytest.raises(WebhookTooEarly):
        deliver(platform, event)
    assert _counts(uow) == before and uow.session.get(WebhookEvent, event["id"]) is None
    order, [record] = _state(uow, reference)
    assert (order.refunded_amount, record.status) == (Decimal("500.00"), "pending")

    platform.payments = payments
    assert send_pending_refunds(platform) == 1  # the retry, same idempotency key: the same refund
    _, [record] = _state(uow, reference)
    assert record.provider_refund_id == event["data"]["object"]["id"]
    assert take_events(payments) == []  # nothing refunded twice, no second failure
    body, header = signed(event)
    redelivered = app.test_client().post("/webhooks/payments", data=body, headers={"Stripe-Signature": header})
    assert redelivered.status_code == 200 and redelivered.json == {"received": True, "outcome": "refund failed"}
    order, [record] = _state(uow, reference)
    assert (order.refunded_amount, record.status) == (Decimal("0.00"), "failed")


def test_a_failure_of_a_refund_that_is_not_ours_is_acknowledged_and_ignored(uow, platform, payments, paid):
    who, _, _, reference = paid
    _refund(uow, reference, who=who)
    [event] = take_events(payments)
    stranger = json.loads(json.dumps(event))
    stranger["id"] += "-dashboard"
    stranger["data"]["object"]["id"] = "re_made_in_the_dashboard"
    assert deliver(platform, stranger) == "ignored"
    assert _state(uow, reference)[1][0].status == "pending"


class Refusing:
    """The provider refuses the refund outright (a synchronous failure)."""

    def __init__(self, inner) -> None:
        self.inner, self.name = inner, inner.name

    def refund(self, payment_id, amount_fen, idempotency_key):
        return RefundResult("re_refused_1", "failed")

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_refund_refused_when_sent_takes_the_same_path(uow, platform, payments, clock, paid):
    who, _, (first, second), reference = paid
    platform.payments = Refusing(payments)
    _refund(uow, reference, "80.00", who=who)
    order, [record] = _state(uow, reference)
    assert (record.status, record.failure_reason, record.provider_refund_id) == ("failed", "refund_failed", "re_refused_1")
    assert (order.status, order.refunded_amount) == ("succeeded", Decimal("0.00"))
    assert sorted(uow.session.scalars(select(PolicyEvent.policy_id).where(PolicyEvent.type == "refund_failed"))) == sorted(
        [first.id, second.id])
    assert len(uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "payment.refund_failed")).all()) == 1


def test_the_console_lists_failed_refunds_and_payments_in_review_for_clerks_only(uow, platform, payments, clock, app, web,
                                                                                 other_web, paid):
    who, customer, (first, second), reference = paid
    _refund(uow, reference, who=who)
    deliver_all(platform, payments)
    flagged_holder, flagged_account = make_policyholder(uow)
    flagged_policy = make_policy(uow, flagged_holder, status="grace", mode="monthly", premium="300.00",
                                 issue_date=date(2022, 10, 20), paid_to=OCT)
    uow.commit()
    flagged = start_payment(uow, principal_of(flagged_account), [(flagged_policy.policy_number, OCT)], URLS)
    uow.commit()
    payments.pay(session_of(flagged.checkout_url), SUCCEEDING_CARD)
    [event] = take_events(payments)
    event["data"]["object"]["amount_total"] = 100
    assert deliver(platform, event) == "needs_review"

    web.client.set_cookie("lang", "en")
    staff_signed_in(uow, web, clock, role="clerk")
    assert 'data-test="nav-payments"' in web.text("/console/")
    page = web.text("/console/payments")
    row = page.split(f'data-test="failed-refund-{reference}"')[1].split("</tr>")[0]
    for shown in (customer.customer_number, first.policy_number, second.policy_number, "¥500.00",
                  "The card has expired or was cancelled.", "Free-look cancellation"):
        assert shown in row
    review = page.split(f'data-test="in-review-{flagged.reference}"')[1].split("</tr>")[0]
    assert flagged_holder.customer_number in review and "300.00 CNY" in review and "1.00 CNY" in review
    assert flagged_policy.policy_number in review
    for personal in (customer.name, customer.mobile, "13911112222", "refund-holder"):
        assert personal not in page
    # The card's last four as a number of its own: inside a random payment reference or token
    # they are only a coincidence (it failed once on "Y5126305248179").
    assert not re.search(rf"(?<![\w.-]){REFUND_FAILS_CARD[-4:]}(?![\w-])", page)

    staff_signed_in(uow, other_web, clock, role="adjuster")
    assert other_web.get("/console/payments").status_code == 403
    assert 'data-test="nav-payments"' not in other_web.text("/console/")
    supervisor = WebClient(app.test_client())
    staff_signed_in(uow, supervisor, clock, role="supervisor")
    assert f'data-test="failed-refund-{reference}"' in supervisor.text("/console/payments")


def test_a_policyholder_has_no_console_page_of_payments(uow, web, paid):
    assert web.get("/console/payments").status_code in (302, 303)  # not signed in: to the console sign-in
    web.login("refund-holder@example.com", PASSWORD)
    assert web.get("/console/payments").status_code == 404


def test_a_clerk_marks_a_failed_refund_paid_another_way_with_a_note_once(uow, platform, payments, clock, web,
                                                                          other_web, paid):
    who, _, _, reference = paid
    _refund(uow, reference, who=who)
    deliver_all(platform, payments)
    [record] = _state(uow, reference)[1]
    path = f"/console/payments/refunds/{record.id}/resolve"
    web.client.set_cookie("lang", "en")
    staff = staff_signed_in(uow, web, clock, role="clerk")

    short = web.post_form(path, {"note": "paid"}, token_from="/console/payments")
    assert short.status_code == 422 and 'data-test="resolve-error"' in short.get_data(as_text=True)
    assert "Say how the customer was paid" in short.get_data(as_text=True)

    staff_signed_in(uow, other_web, clock, role="adjuster")
    assert other_web.post_form(path, {"note": "Bank transfer on 2026-11-30"},
                               token_from="/console/").status_code == 403

    done = web.post_form(path, {"note": "Bank transfer on 2026-11-30 to 中国银行"}, token_from="/console/payments")
    assert done.status_code == 303
    assert f'data-test="failed-refund-{reference}"' not in web.text("/console/payments")
    [record] = _state(uow, reference)[1]
    assert (record.status, record.resolved_by) == ("failed", staff.account.id) and "Bank transfer" in record.resolution_note
    [entry] = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "payment.refund_resolved")).all()
    assert json.loads(entry.detail)["note"] == "Bank transfer on 2026-11-30 to 中国银行"

    again = web.post_form(path, {"note": "Bank transfer on 2026-11-30"}, token_from="/console/payments")
    assert again.status_code == 422 and "already settled" in again.get_data(as_text=True)
    assert web.post_form("/console/payments/refunds/999999/resolve", {"note": "Bank transfer"},
                         token_from="/console/payments").status_code == 404
