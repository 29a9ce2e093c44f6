"""What a verified provider event does to its order. Events can come late, twice or out of
order, so each looks at where the order stands, under the order's row lock:

* success on a pending order: credit each due (oldest first per policy), order succeeded;
* success after the order failed or expired (the customer retried on the same checkout, or
  paid as it expired): the money was taken, so credit whatever is still unpaid and refund
  the rest (what another payment or an automatic loan settled meanwhile);
* success on an order already paid: nothing (a second event for the same payment);
* a failure or expiry after success, or after another failure: nothing;
* amount or currency other than the order's: nothing credited, the order needs review."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from iaas.payments import ProviderEvent
from paas.audit import chain
from paas.audit.chain import Actor
from paas.billing.card import card_of
from paas.billing.crediting import CreditRefused, credit_premium
from paas.billing.models import PaymentOrder
from paas.billing.orders import CLOSED_UNPAID, EXPIRED, FAILED, NEEDS_REVIEW, PENDING, PROVIDER, SUCCEEDED, close_unpaid
from paas.billing.refunds import confirm_refunds, refund
from paas.money import to_minor_units
from paas.policies.models import Policy
from paas.underwriting.issuing import issue_paid

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

__all__ = ["confirm_refunds", "settle_expiry", "settle_failure", "settle_paid", "settle_success"]


def settle_success(uow: "UnitOfWork", order: PaymentOrder, event: ProviderEvent) -> str:
    if order.status not in (PENDING, *CLOSED_UNPAID):
        return "already settled"
    if event.amount_fen != to_minor_units(order.amount) or (event.currency or "") != order.currency:
        order.status, order.failure_reason, order.updated_at = NEEDS_REVIEW, "amount_mismatch", uow.clock.now()
        # Kept so that the review can refund it through the provider (paas.billing.review_outcome).
        order.provider_payment_id = event.payment_id or order.provider_payment_id
        chain.record(uow, PROVIDER, "payment.mismatch", subject=f"payment:{order.reference}",
                     detail={"expected": f"{order.amount} {order.currency}", "reported_fen": event.amount_fen,
                             "reported_currency": event.currency, "event": event.id})
        return NEEDS_REVIEW
    late = order.status != PENDING
    order.provider_payment_id = event.payment_id or order.provider_payment_id
    settle_paid(uow, order, actor=PROVIDER, detail={"late": late, "event": event.id})
    return "late success" if late else SUCCEEDED


def settle_paid(uow: "UnitOfWork", order: PaymentOrder, *, actor: Actor, detail: dict) -> Decimal:
    """The money of ``order`` arrived (the provider says so, or a clerk who checked a payment
    held for review): credit each due once, refund what could not be credited; returns that."""
    order.status, order.failure_reason = SUCCEEDED, None
    order.card_last4 = order.card_last4 or card_of(uow, order)  # for the receipt
    order.paid_at = order.updated_at = uow.clock.now()
    unpaid = _credit_items(uow, order, actor) + issue_paid(uow, order, actor)  # a first premium issues its policy
    for item in order.items:
        item.active = False  # settled: the due no longer waits on this order
    chain.record(uow, actor, "payment.succeeded", subject=f"payment:{order.reference}",
                 detail={"amount": str(order.amount), **detail, "not_credited": str(unpaid)})
    if unpaid:
        refund(uow, order.reference, unpaid, reason="overpayment", actor=actor)
    return unpaid


def _credit_items(uow: "UnitOfWork", order: PaymentOrder, actor: Actor) -> Decimal:
    """Credit each due; returns the total that could not be (already paid, or no longer payable)."""
    policy_ids = sorted({item.policy_id for item in order.items})
    # Locked in id order, as every crediting path does, so two of them never deadlock.
    policies = {p.id: p for p in uow.session.scalars(
        select(Policy).where(Policy.id.in_(policy_ids)).order_by(Policy.id).with_for_update()
        .execution_options(populate_existing=True))}
    unpaid = Decimal("0.00")
    for item in sorted(order.items, key=lambda i: (i.policy_id, i.due_date)):
        try:
            credited = credit_premium(uow, policies[item.policy_id], item.due_date, item.amount, kind="payment",
                                      channel="card", reference=order.reference, actor=actor)
        except CreditRefused:
            credited = False
        if not credited:
            unpaid += item.amount
    return unpaid


def settle_failure(uow: "UnitOfWork", order: PaymentOrder, event: ProviderEvent) -> str:
    if order.status != PENDING:
        return "ignored"
    close_unpaid(uow, order, FAILED, event.failure_reason or "payment_failed")
    chain.record(uow, PROVIDER, "payment.failed", subject=f"payment:{order.reference}",
                 detail={"reason": order.failure_reason, "event": event.id})
    return FAILED


def settle_expiry(uow: "UnitOfWork", order: PaymentOrder, *, reason: str = "expired", actor=PROVIDER) -> str:
    if order.status != PENDING:
        return "ignored"
    close_unpaid(uow, order, EXPIRED, reason)
    chain.record(uow, actor, "payment.expired", subject=f"payment:{order.reference}", detail={"reason": reason})
    return EXPIRED
