"""Sending money back through the payment port (free-look cancellation, overpayment). The
refund is recorded with the change that causes it and sent to the provider only after the
commit, under an idempotency key of its own, so a retry never refunds twice; the
provider's ``charge.refunded`` event confirms it. A refund that fails - refused when sent,
or accepted and failed later (``refund.failed``: a closed card) - is never lost: its amount
is refundable again, the customer is told we will pay another way, and it waits in the
console (``paas.billing.attention``) for a person."""
from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from iaas.payments import PaymentProviderError, ProviderEvent
from paas.audit import chain
from paas.audit.chain import Actor
from paas.notices.events import raise_event
from paas.billing.models import PaymentOrder, PaymentRefund
from paas.billing.orders import PAID_STATUSES, PARTIALLY_REFUNDED, PROVIDER, REFUNDED, SUCCEEDED, locked_order
from paas.errors import N_, InvalidInput, NotFound
from paas.money import from_minor_units, to_fen, to_minor_units

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
SEND_REFUNDS_JOB = "billing.send_refunds"  # hands pending refunds to the provider (paas.billing.jobs)


def refund(uow: "UnitOfWork", reference: str, amount: Decimal, *, reason: str, actor: Actor) -> PaymentRefund:
    """Refund part or all of a paid order (what is left of it after earlier refunds)."""
    uow.require_transaction("a refund")
    order = locked_order(uow, PaymentOrder.reference == reference)
    if order is None:
        raise NotFound(N_("We could not find that payment."))
    if order.status not in PAID_STATUSES:
        raise InvalidInput(N_("Only a completed payment can be refunded."))
    amount = to_fen(amount)
    left = order.amount - order.refunded_amount
    if not 0 < amount <= left:
        raise InvalidInput(N_("A refund must be more than zero and at most %(left)s, what is left of the payment."),
                           left=str(left))
    earlier = uow.session.scalar(select(func.count()).select_from(PaymentRefund).where(PaymentRefund.order_id == order.id))
    record = PaymentRefund(order_id=order.id, amount=amount, reason=reason[:40], status="pending",
                           idempotency_key=f"refund-{order.reference}-{earlier + 1}", created_at=uow.clock.now())
    uow.session.add(record)
    _set_refunded(order, order.refunded_amount + amount, uow)
    chain.record(uow, actor, "payment.refund_requested", subject=f"payment:{order.reference}",
                 detail={"amount": str(amount), "reason": reason})
    uow.enqueue_job(SEND_REFUNDS_JOB)  # a worker hands it to the provider after the commit
    return record


def send_pending_refunds(platform: "Platform", *, limit: int = 50) -> int:
    """Hand recorded refunds to the provider; returns how many it accepted. Safe to repeat."""
    sent = 0
    if platform.payments is None:
        return 0
    with platform.unit_of_work() as uow:
        query = (select(PaymentRefund, PaymentOrder).join(PaymentOrder, PaymentOrder.id == PaymentRefund.order_id)
                 .where(PaymentRefund.status == "pending", PaymentRefund.provider_refund_id.is_(None))
                 .order_by(PaymentRefund.id).limit(limit))
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=PaymentRefund)
        for record, order in uow.session.execute(query).all():
            try:
                result = platform.payments.refund(order.provider_payment_id, to_minor_units(record.amount),
                                                  record.idempotency_key)
            except PaymentProviderError as exc:
                log.warning("refund %s of %s not sent: %s", record.idempotency_key, order.reference, exc)
                continue
            record.provider_refund_id = result.refund_id
            if result.status == "succeeded":
                record.status = "succeeded"
            elif result.status == "failed":  # refused outright: lock the order, its refunded amount changes
                _refund_failed(uow, locked_order(uow, PaymentOrder.id == order.id), record)
            sent += 1
        uow.commit()
    return sent


def confirm_refunds(uow: "UnitOfWork", order: PaymentOrder, event: ProviderEvent) -> str:
    """``charge.refunded`` carries the total refunded so far: that much of ours has gone through."""
    refunded = from_minor_units(event.refunded_fen or 0)
    confirmed = Decimal("0.00")
    for record in uow.session.scalars(select(PaymentRefund).where(PaymentRefund.order_id == order.id).order_by(PaymentRefund.id)):
        if record.status == "failed":
            continue
        confirmed += record.amount
        if confirmed <= refunded and record.status == "pending":
            record.status = "succeeded"
    return "refund confirmed"


def refund_known_as(uow: "UnitOfWork", provider_refund_id: str | None) -> tuple[PaymentRefund, PaymentOrder] | None:
    """The refund the provider knows by this id, with its order's row locked (then the
    refund's: the order first, as every path that changes both does)."""
    if not provider_refund_id:
        return None
    found = uow.session.execute(select(PaymentRefund.id, PaymentRefund.order_id)
                                .where(PaymentRefund.provider_refund_id == provider_refund_id)).first()
    if found is None:
        return None
    order = locked_order(uow, PaymentOrder.id == found.order_id)
    record = uow.session.scalar(select(PaymentRefund).where(PaymentRefund.id == found.id).with_for_update()
                                .execution_options(populate_existing=True))
    return record, order


def refund_being_sent(uow: "UnitOfWork", payment_id: str | None) -> bool:
    """Whether a refund of this payment is recorded but the provider's id for it is not stored
    yet: it may be in flight right now (``send_pending_refunds`` stores the id as it commits)."""
    if not payment_id:
        return False
    return uow.session.scalar(
        select(PaymentRefund.id).join(PaymentOrder, PaymentOrder.id == PaymentRefund.order_id)
        .where(PaymentOrder.provider_payment_id == payment_id, PaymentRefund.provider_refund_id.is_(None),
               PaymentRefund.status == "pending").limit(1)) is not None


def fail_refund(uow: "UnitOfWork", order: PaymentOrder, record: PaymentRefund, event: ProviderEvent) -> str:
    """``refund.failed``: the refund was accepted (even confirmed) but did not reach the card."""
    if record.status == "failed":
        return "already failed"
    _refund_failed(uow, order, record, reason=event.failure_reason, event_id=event.id)
    return "refund failed"


def _refund_failed(uow: "UnitOfWork", order: PaymentOrder, record: PaymentRefund, *, reason: str | None = None,
                   event_id: str | None = None) -> None:
    """The one path for a refund that did not go through, whenever the provider says so: what
    it would have paid back is refundable again, and each policy the order paid for gets an
    event, so the notices tell the customer we will pay them another way."""
    now = uow.clock.now()
    record.status, record.failure_reason, record.failed_at = "failed", (reason or "refund_failed")[:200], now
    _set_refunded(order, order.refunded_amount - record.amount, uow)
    detail = {"amount": str(record.amount), "reason": record.failure_reason, "refund": record.provider_refund_id}
    if event_id:
        detail["event"] = event_id
    chain.record(uow, PROVIDER, "payment.refund_failed", subject=f"payment:{order.reference}", detail=detail)
    notice = {"reference": order.reference, "amount": str(record.amount), "refund_reason": record.reason,
              "failure_reason": record.failure_reason}
    for policy_id in sorted({item.policy_id for item in order.items}):
        raise_event(uow, policy_id, "refund_failed", uow.clock.today(), notice)


def _set_refunded(order: PaymentOrder, refunded: Decimal, uow: "UnitOfWork") -> None:
    order.refunded_amount = refunded
    order.status = SUCCEEDED if refunded == 0 else REFUNDED if refunded >= order.amount else PARTIALLY_REFUNDED
    order.updated_at = uow.clock.now()
