"""Payments held for review: the provider said money was taken, but not the amount or the
currency we asked for (``settlement.settle_success``). The customer has most likely paid,
so the premiums of that order are neither payable again (a second charge) nor left to run
out their grace: the customer is told we are checking the payment and by when we will be in
touch, and the nightly cycle does not warn about or lapse a policy over a premium that such
a payment covers. Clerks see it in the console's list (``paas.billing.attention``) and
contact the customer, then settle it there: credit it, or refund it and free the premiums
(``paas.billing.review_outcome``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, exists, select

from paas.billing.models import PaymentOrder, PaymentOrderItem
from paas.billing.orders import NEEDS_REVIEW
from paas.errors import N_, InvalidInput
from paas.policies.models import Policy

if TYPE_CHECKING:
    from paas.billing.dues import Due
    from paas.unit_of_work import UnitOfWork

# How long we give ourselves to check such a payment and tell the customer the outcome.
CONTACT_WITHIN_DAYS = 5
IN_REVIEW = N_("We are checking your payment %(reference)s of %(amount)s made on %(paid_on)s for the premium of policy "
               "%(policy)s due %(date)s. You do not need to pay it again, and the policy will not lapse while we check. "
               "We will contact you by %(contact_by)s.")


@dataclass(frozen=True)
class HeldPayment:
    """What the customer is told about a premium whose payment we are checking."""

    reference: str
    amount: Decimal  # what the customer was asked to pay in that payment
    paid_on: date
    contact_by: date


def payments_in_review(uow: "UnitOfWork", customer_id: int) -> dict[tuple[int, date], HeldPayment]:
    """The customer's premiums (policy id, due date) covered by a payment held for review."""
    rows = uow.session.execute(
        select(PaymentOrderItem.policy_id, PaymentOrderItem.due_date, PaymentOrder.reference, PaymentOrder.amount,
               PaymentOrder.updated_at)
        .join(PaymentOrder, PaymentOrder.id == PaymentOrderItem.order_id)
        .where(PaymentOrder.customer_id == customer_id, PaymentOrder.status == NEEDS_REVIEW, PaymentOrderItem.active)
    ).all()
    return {(policy_id, due_date): held_payment(reference, amount, flagged) for policy_id, due_date, reference, amount, flagged in rows}


def held_payment(reference: str, amount, flagged) -> HeldPayment:
    """A held order as the customer is told of it: flagged on its last update, contact due after."""
    return HeldPayment(reference, amount, flagged.date(), flagged.date() + timedelta(days=CONTACT_WITHIN_DAYS))


def in_review_message(due: "Due") -> tuple[str, dict[str, str]]:
    """What we tell the customer about a premium being checked: the message id and its values."""
    held = due.in_review
    return IN_REVIEW, {"reference": held.reference, "amount": f"¥{held.amount:,.2f}", "paid_on": held.paid_on.isoformat(),
                       "policy": due.policy_number, "date": due.due_date.isoformat(), "contact_by": held.contact_by.isoformat()}


def refuse_if_in_review(due: "Due") -> None:
    """A premium being checked cannot be paid a second time: say why, and what happens next."""
    if due.in_review is not None:
        message, params = in_review_message(due)
        raise InvalidInput(message, field="due", **params)


def oldest_due_in_review() -> ColumnElement[bool]:
    """For the cycle: the policy's oldest unpaid premium (the one due on its paid-to date,
    whose grace is running) is covered by a payment held for review."""
    return exists().where(
        PaymentOrderItem.policy_id == Policy.id, PaymentOrderItem.due_date == Policy.paid_to_date,
        PaymentOrderItem.active, PaymentOrder.id == PaymentOrderItem.order_id, PaymentOrder.status == NEEDS_REVIEW,
    ).correlate(Policy)
