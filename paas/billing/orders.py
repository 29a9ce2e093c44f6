"""Payment orders: their life (pending -> succeeded | failed | expired | needs_review;
succeeded -> partially_refunded | refunded), references, and finding and locking them."""
from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit.chain import Actor
from paas.billing.models import PaymentOrder
from paas.errors import N_
from paas.numbering import ReferenceFormat

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

PENDING, SUCCEEDED, FAILED, EXPIRED = "pending", "succeeded", "failed", "expired"
NEEDS_REVIEW = "needs_review"  # the provider reported an amount or currency we did not ask for
PARTIALLY_REFUNDED, REFUNDED = "partially_refunded", "refunded"
PAID_STATUSES = (SUCCEEDED, PARTIALLY_REFUNDED, REFUNDED)
CLOSED_UNPAID = (FAILED, EXPIRED)

STATUS_LABELS = {
    PENDING: N_("Waiting for the bank"),
    SUCCEEDED: N_("Paid"),
    FAILED: N_("Not paid"),
    EXPIRED: N_("Expired"),
    NEEDS_REVIEW: N_("Being checked"),
    PARTIALLY_REFUNDED: N_("Partly refunded"),
    REFUNDED: N_("Refunded"),
}
FAILURE_LABELS = {
    "generic_decline": N_("Your bank declined the card."),
    "card_declined": N_("Your bank declined the card."),
    "insufficient_funds": N_("The card has insufficient funds."),
    "expired_card": N_("The card has expired."),
    "async_payment_failed": N_("The bank did not confirm the payment."),
    "expired": N_("The payment was not completed in time."),
    "cancelled": N_("You cancelled the payment."),
    "amount_mismatch": N_("The amount the bank reported differs from the amount due; we are checking it."),
}
GENERIC_FAILURE = N_("The payment did not go through.")

# Random, not sequential: a reference tells nobody how many payments we take.
PAYMENT_REFERENCE = ReferenceFormat("Y", 12)
PROVIDER = Actor("system", None, "payment provider")


def new_reference() -> str:
    return PAYMENT_REFERENCE.format(secrets.randbelow(10**12 - 1) + 1)


def failure_label(reason: str | None) -> str:
    return FAILURE_LABELS.get(reason or "", GENERIC_FAILURE)


def customer_order(uow: "UnitOfWork", customer_id: int, reference: str) -> PaymentOrder | None:
    return uow.session.scalar(
        select(PaymentOrder).where(PaymentOrder.reference == reference, PaymentOrder.customer_id == customer_id)
    )


def locked_order(uow: "UnitOfWork", *conditions) -> PaymentOrder | None:
    """The order matching, with its row locked for the rest of the transaction, so events,
    expiry and refunds of one order happen one after another."""
    return uow.session.scalar(
        select(PaymentOrder).where(*conditions).with_for_update().execution_options(populate_existing=True)
    )


def close_unpaid(uow: "UnitOfWork", order: PaymentOrder, status: str, reason: str) -> None:
    """Failed or expired: release its dues, which can be paid again."""
    order.status, order.failure_reason, order.updated_at = status, reason, uow.clock.now()
    for item in order.items:
        item.active = False
