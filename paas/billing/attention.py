"""Payments that need a person (console, servicing clerks and supervisors): refunds that
failed after they were sent - the customer must be paid another way - and payments held for
review because the provider reported an amount or currency other than the one asked for.
Only references, customer and policy numbers and amounts: no name, contact or card."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.audit import chain
from paas.audit.models import AuditEntry
from paas.billing.models import PaymentOrder, PaymentOrderItem, PaymentRefund
from paas.billing.orders import NEEDS_REVIEW
from paas.customers.models import Customer
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.money import from_minor_units
from paas.policies.models import Policy
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

ATTENTION_ROLES = (CLERK, SUPERVISOR)
LIMIT = 200  # of each list, newest first
NOT_PERMITTED = N_("Payments needing attention are for servicing clerks and supervisors.")

# Why a refund was made (PaymentRefund.reason) and why it failed (the provider's code).
REFUND_REASONS = {
    "free_look": N_("Free-look cancellation"),
    "overpayment": N_("Overpayment"),
    "review": N_("A payment held for review, not accepted"),
}
REFUND_FAILURES = {
    "expired_or_canceled_card": N_("The card has expired or was cancelled."),
    "lost_or_stolen_card": N_("The card was reported lost or stolen."),
    "declined": N_("The bank declined the refund."),
    "refund_failed": N_("The refund did not go through."),
}
UNKNOWN_FAILURE = N_("The refund did not go through (%(code)s).")


@dataclass(frozen=True)
class FailedRefund:
    refund_id: int
    payment_reference: str
    customer_number: str
    policy_numbers: tuple[str, ...]
    amount: Decimal
    refund_reason: str  # message id
    failure_reason: str | None  # the provider's code
    failed_at: datetime | None  # None for a refund that failed before this was recorded


@dataclass(frozen=True)
class PaymentInReview:
    reference: str
    customer_number: str
    policy_numbers: tuple[str, ...]
    amount: Decimal  # what we asked for
    currency: str
    reported_amount: Decimal | None  # what the provider said was paid
    reported_currency: str | None
    flagged_at: datetime


@dataclass(frozen=True)
class PaymentsNeedingAttention:
    failed_refunds: list[FailedRefund]
    in_review: list[PaymentInReview]

    @property
    def empty(self) -> bool:
        return not self.failed_refunds and not self.in_review


def failure_message(code: str | None) -> tuple[str, dict[str, str]]:
    """The message id for a refund's failure code, with its parameters."""
    if code in REFUND_FAILURES or not code:
        return REFUND_FAILURES[code or "refund_failed"], {}
    return UNKNOWN_FAILURE, {"code": code}


def refund_reason(reason: str) -> str:
    return REFUND_REASONS.get(reason, reason)


def require_attention_role(staff: Principal | None) -> Principal:
    if staff is None or not staff.is_staff or staff.role not in ATTENTION_ROLES:
        raise NotPermitted(NOT_PERMITTED)
    return staff


def payments_needing_attention(uow: "UnitOfWork", staff: Principal | None) -> PaymentsNeedingAttention:
    require_attention_role(staff)
    refunds = uow.session.execute(
        select(PaymentRefund, PaymentOrder.id, PaymentOrder.reference, Customer.customer_number)
        .join(PaymentOrder, PaymentOrder.id == PaymentRefund.order_id)
        .join(Customer, Customer.id == PaymentOrder.customer_id)
        .where(PaymentRefund.status == "failed", PaymentRefund.resolved_at.is_(None))
        .order_by(PaymentRefund.id.desc()).limit(LIMIT)
    ).all()
    orders = uow.session.execute(
        select(PaymentOrder, Customer.customer_number).join(Customer, Customer.id == PaymentOrder.customer_id)
        .where(PaymentOrder.status == NEEDS_REVIEW).order_by(PaymentOrder.id.desc()).limit(LIMIT)
    ).all()
    policies = _policy_numbers(uow, {order_id for _, order_id, _, _ in refunds} | {order.id for order, _ in orders})
    reported = _reported(uow, [order.reference for order, _ in orders])
    return PaymentsNeedingAttention(
        [FailedRefund(record.id, reference, customer_number, policies.get(order_id, ()), record.amount, refund_reason(record.reason),
                      record.failure_reason, record.failed_at)
         for record, order_id, reference, customer_number in refunds],
        [PaymentInReview(order.reference, customer_number, policies.get(order.id, ()), order.amount, order.currency,
                         *reported.get(order.reference, (None, None)), order.updated_at)
         for order, customer_number in orders],
    )


def resolve_failed_refund(uow: "UnitOfWork", staff: Principal | None, refund_id: int, note: str) -> PaymentRefund:
    """A person paid the customer another way (bank transfer, at the counter) and says how:
    the refund leaves the list, and the audit log keeps who, when and the note."""
    require_attention_role(staff)
    record = uow.session.scalar(select(PaymentRefund).where(PaymentRefund.id == refund_id).with_for_update())
    if record is None or record.status != "failed":
        raise NotFound(N_("We could not find that failed refund."))
    if record.resolved_at is not None:
        raise InvalidInput(N_("This refund was already settled another way."))
    note = " ".join((note or "").split())[:300]
    if len(note) < 5:
        raise InvalidInput(N_("Say how the customer was paid (for example: bank transfer on 2026-11-30)."), field="note")
    record.resolved_at, record.resolved_by, record.resolution_note = uow.clock.now(), staff.account_id, note
    chain.record(uow, staff.actor, "payment.refund_resolved", subject=f"refund:{record.id}",
                 detail={"amount": str(record.amount), "note": note})
    return record


def _policy_numbers(uow: "UnitOfWork", order_ids: set[int]) -> dict[int, tuple[str, ...]]:
    if not order_ids:
        return {}
    rows = uow.session.execute(
        select(PaymentOrderItem.order_id, Policy.policy_number).join(Policy, Policy.id == PaymentOrderItem.policy_id)
        .where(PaymentOrderItem.order_id.in_(order_ids)).distinct()
    ).all()
    numbers: dict[int, set[str]] = defaultdict(set)
    for order_id, number in rows:
        numbers[order_id].add(number)
    return {order_id: tuple(sorted(found)) for order_id, found in numbers.items()}


def _reported(uow: "UnitOfWork", references: list[str]) -> dict[str, tuple[Decimal | None, str | None]]:
    """What the provider reported for each payment held for review, from its audit entry."""
    if not references:
        return {}
    latest = (select(func.max(AuditEntry.seq)).where(AuditEntry.subject.in_([f"payment:{r}" for r in references]),
                                                     AuditEntry.action == "payment.mismatch")
              .group_by(AuditEntry.subject))
    reported = {}
    for subject, detail in uow.session.execute(select(AuditEntry.subject, AuditEntry.detail).where(AuditEntry.seq.in_(latest))):
        values = json.loads(detail)
        fen = values.get("reported_fen")
        reported[subject.removeprefix("payment:")] = (from_minor_units(fen) if fen is not None else None,
                                                       values.get("reported_currency"))
    return reported
