"""The way out of a payment held for review (issue 10): a clerk credits it (the money arrived:
the premium is credited once, the policy back in force) or refunds it (what the provider took
goes back to the card through the refunds path, once, and the premium is free: payable again,
and the lapse rules see it unpaid). Each with a note, audited, and the customer told in their
language. Service and console, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from paas.audit.models import AuditEntry
from paas.billing.models import PaymentOrder, PaymentRefund
from paas.billing.payments import start_payment
from paas.billing.review_outcome import settle_review
from paas.customers.models import Customer
from paas.cycle.runner import run_cycle
from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.messaging.models import OutboxMessage
from paas.policies.models import PremiumPayment
from paas.security.models import Account
from paas.security.sessions import principal_of
from tests.cycle_support import SMALL_BATCHES
from tests.factories import PASSWORD, make_staff
from tests.integration.test_payments_in_review import OCT, held  # noqa: F401  (the fixture)
from tests.payments_support import URLS, deliver_all
from tests.servicing_support import staff_signed_in

NOTE = "Bank statement of 27 Nov shows 300.00 received"


@pytest.fixture
def clerk(uow):
    staff = make_staff(uow, role="clerk")
    uow.commit()
    return principal_of(staff.account)


def _order(uow, reference) -> PaymentOrder:
    uow.session.expire_all()
    return uow.session.scalar(select(PaymentOrder).where(PaymentOrder.reference == reference))


def _told(uow) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in uow.session.execute(
        select(OutboxMessage.channel, OutboxMessage.locale, OutboxMessage.body)
        .where(OutboxMessage.kind == "payment_review_settled").order_by(OutboxMessage.id))]


def _credited(uow, policy) -> int:
    return uow.session.scalar(select(func.count()).select_from(PremiumPayment).where(
        PremiumPayment.policy_id == policy.id, PremiumPayment.due_date == OCT))


def test_crediting_a_payment_in_review_credits_its_premium_once_and_tells_the_customer(uow, clerk, held):  # noqa: F811
    policy, reference, _ = held
    settle_review(uow, clerk, reference, "credit", NOTE)
    uow.commit()
    order = _order(uow, reference)
    assert order.status == "succeeded" and all(not item.active for item in order.items)
    assert _credited(uow, policy) == 1 and policy.paid_to_date == date(2026, 11, 20)  # the next one is due
    with pytest.raises(NotFound):  # a second decision (a double click, another clerk) finds it settled
        settle_review(uow, clerk, reference, "credit", NOTE)
    with pytest.raises(NotFound):
        settle_review(uow, clerk, reference, "refund", NOTE)
    assert _credited(uow, policy) == 1
    entry = uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "payment.review_credited"))
    assert entry.subject == f"payment:{reference}" and NOTE in entry.detail and entry.actor_id == clerk.account_id
    told = _told(uow)
    assert {channel for channel, _, _ in told} == {"sms", "email"}
    assert all(locale == "zh" and reference in body and policy.policy_number in body and "已" in body
               for _, locale, body in told)


def test_refunding_a_payment_in_review_sends_back_what_was_taken_and_frees_the_premium(uow, platform, payments, clerk,
                                                                                         held):  # noqa: F811
    policy, reference, _ = held
    settle_review(uow, clerk, reference, "refund", "Customer asked for the money back")
    uow.commit()  # the refund leaves for the provider only now
    order = _order(uow, reference)
    assert order.status == "refunded" and all(not item.active for item in order.items)
    [record] = uow.session.scalars(select(PaymentRefund).where(PaymentRefund.order_id == order.id))
    assert record.amount == Decimal("299.00") and record.reason == "review"  # what the provider said it took
    assert record.provider_refund_id is not None
    assert payments.store.read("SELECT amount FROM refunds")[0]["amount"] == 29900
    assert deliver_all(platform, payments) == ["refund confirmed"]
    assert _credited(uow, policy) == 0
    assert any("¥299.00" in body and reference in body for _, _, body in _told(uow))
    with pytest.raises(NotFound):
        settle_review(uow, clerk, reference, "credit", NOTE)
    # Free again: the customer can pay it, and the cycle lapses the policy if nobody does.
    run_cycle(platform, date(2026, 12, 20), options=SMALL_BATCHES, steps=["lapse"])
    uow.session.expire_all()
    assert policy.status == "lapsed"


def test_the_freed_premium_can_be_paid_again(uow, clerk, held):  # noqa: F811
    policy, reference, _ = held
    settle_review(uow, clerk, reference, "refund", "Customer asked for the money back")
    uow.commit()
    account = uow.session.scalar(select(Account).join(Customer, Customer.id == Account.customer_id)
                                 .where(Customer.email == "held@example.com"))
    again = start_payment(uow, principal_of(account), [(policy.policy_number, OCT)], URLS)
    assert again.reference != reference


def test_settling_needs_a_clerk_a_note_and_a_decision(uow, held):  # noqa: F811
    _, reference, _ = held
    adjuster = principal_of(make_staff(uow, role="adjuster").account)
    clerk = principal_of(make_staff(uow, role="supervisor").account)
    with pytest.raises(NotPermitted):
        settle_review(uow, adjuster, reference, "credit", NOTE)
    with pytest.raises(InvalidInput) as short:
        settle_review(uow, clerk, reference, "credit", "ok")
    assert short.value.field == "note"
    with pytest.raises(InvalidInput):
        settle_review(uow, clerk, reference, "keep", NOTE)
    with pytest.raises(NotFound):
        settle_review(uow, clerk, "Y000000000001", "credit", NOTE)
    assert _order(uow, reference).status == "needs_review"


def test_a_clerk_settles_it_on_the_console_page(uow, clock, other_web, held):  # noqa: F811
    policy, reference, _ = held
    other_web.client.set_cookie("lang", "en")
    staff_signed_in(uow, other_web, clock)
    page = other_web.text("/console/payments")
    assert f'data-test="credit-{reference}"' in page and f'data-test="refund-{reference}"' in page
    path = f"/console/payments/review/{reference}/settle"
    short = other_web.post_form(path, {"note": "ok", "decision": "credit"}, token_from="/console/payments")
    assert short.status_code == 422
    body = short.get_data(as_text=True)
    assert 'data-test="review-error"' in body and "at least 5 characters" in body
    assert _order(uow, reference).status == "needs_review"
    done = other_web.post_form(path, {"note": NOTE, "decision": "credit"}, token_from="/console/payments")
    assert done.status_code == 303
    assert _order(uow, reference).status == "succeeded" and _credited(uow, policy) == 1
    assert 'data-test="no-payments-in-review"' in other_web.text("/console/payments")
    again = other_web.post_form(path, {"note": NOTE, "decision": "refund"}, token_from="/console/payments")
    assert again.status_code == 404 and _credited(uow, policy) == 1


def test_the_console_refund_button(uow, clock, other_web, held):  # noqa: F811
    _, reference, _ = held
    staff_signed_in(uow, other_web, clock)
    answer = other_web.post_form(f"/console/payments/review/{reference}/settle",
                                 {"note": "Customer asked for the money back", "decision": "refund"},
                                 token_from="/console/payments")
    assert answer.status_code == 303 and _order(uow, reference).status == "refunded"


def test_an_adjuster_cannot_settle_one(uow, clock, other_web, held):  # noqa: F811
    _, reference, _ = held
    staff_signed_in(uow, other_web, clock, role="adjuster")
    answer = other_web.post_form(f"/console/payments/review/{reference}/settle", {"note": NOTE, "decision": "credit"},
                                 token_from="/console/")
    assert answer.status_code in (403, 404) and _order(uow, reference).status == "needs_review"


def test_a_policyholder_cannot_reach_it(uow, web, held):  # noqa: F811
    _, reference, _ = held
    web.login("held@example.com", PASSWORD)
    assert web.client.post(f"/console/payments/review/{reference}/settle").status_code in (400, 404)
    assert _order(uow, reference).status == "needs_review"


def test_the_customer_is_told_in_their_own_language(uow, clerk, held):  # noqa: F811
    _, reference, _ = held
    account = uow.session.scalar(select(Account).join(Customer, Customer.id == Account.customer_id)
                                 .where(Customer.email == "held@example.com"))
    account.locale = "en"
    settle_review(uow, clerk, reference, "refund", "Customer asked for the money back")
    uow.commit()
    told = _told(uow)
    assert told and all(locale == "en" and body.startswith("[Pinghe Life] We have checked your payment")
                        and "¥299.00 goes back to the card" in body for _, locale, body in told)
