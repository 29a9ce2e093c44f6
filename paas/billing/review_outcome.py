"""The way out of a payment held for review (``paas.billing.review``): a servicing clerk or
supervisor who has checked it with the provider or the customer settles it on the console,
with a note, and the customer is told on their contacts, in their language.

* credit it: the money did arrive; the premiums the order covers are credited once, as the
  webhook would have (``settlement.settle_paid``; what can no longer be credited is refunded);
* refund it: we cannot accept it; what the provider reported taking goes back to the card
  through the refunds path (sent after the commit, once), and the premiums are free again,
  so the customer can pay them and the grace and lapse rules see them unpaid once more.

No second person is needed: either way no money leaves to anyone but the card that paid.
Both are audited with the clerk and the note; the order's row lock makes a second decision
(two clerks at once, a double click) find it settled."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.models import AuditEntry
from paas.billing.attention import require_attention_role
from paas.billing.models import PaymentOrder
from paas.billing.orders import NEEDS_REVIEW, REFUNDED, SUCCEEDED, locked_order
from paas.billing.refunds import refund
from paas.billing.settlement import settle_paid
from paas.customers.models import Customer
from paas.errors import N_, InvalidInput, NotFound
from paas.i18n import translate
from paas.messaging import outbox
from paas.money import from_minor_units
from paas.policies.models import Policy
from paas.security.alerts import contacts_of
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CREDIT, REFUND = "credit", "refund"
NOT_IN_REVIEW = N_("Payment %(reference)s is not held for review (it may have been settled already).")
NOTE_NEEDED = N_("Say what you checked (for example: the bank statement shows ¥300.00 received), at least 5 characters.")
NO_DECISION = N_("Choose whether to credit the payment or refund it.")
CANNOT_REFUND = N_("The payment service did not report what it took in the currency asked for, so it cannot be "
                   "refunded here: refund it with the payment service directly.")
SUBJECT = N_("Your payment to Pinghe Life")
CREDITED = N_("[Pinghe Life] We have checked your payment %(reference)s: it is credited to the premium of policy "
              "%(policies)s. There is nothing more for you to do.")
REFUNDED_TEXT = N_("[Pinghe Life] We have checked your payment %(reference)s and could not accept it: %(amount)s goes "
                   "back to the card you paid with within a few days. The premium of policy %(policies)s is still to "
                   "be paid: you can pay it online again.")


def settle_review(uow: "UnitOfWork", staff: Principal | None, reference: str, decision: str, note: str) -> PaymentOrder:
    """Credit or refund the payment held for review ``reference``; the note says what was checked."""
    staff = require_attention_role(staff)
    if decision not in (CREDIT, REFUND):
        raise InvalidInput(NO_DECISION, field="decision")
    note = " ".join((note or "").split())[:300]
    if len(note) < 5:
        raise InvalidInput(NOTE_NEEDED, field="note")
    reference = (reference or "")[:20]
    order = locked_order(uow, PaymentOrder.reference == reference)
    if order is None or order.status != NEEDS_REVIEW:
        raise NotFound(NOT_IN_REVIEW, reference=reference)
    policies = ", ".join(uow.session.scalars(select(Policy.policy_number).where(
        Policy.id.in_({item.policy_id for item in order.items})).order_by(Policy.policy_number)))
    if decision == CREDIT:
        settle_paid(uow, order, actor=staff.actor, detail={"review_note": note})
        chain.record(uow, staff.actor, "payment.review_credited", subject=f"payment:{order.reference}",
                     detail={"note": note})
        _tell(uow, order, CREDITED, reference=order.reference, policies=policies)
        return order
    taken = _reported_yuan(uow, order)
    if taken is None:
        raise InvalidInput(CANNOT_REFUND)
    for item in order.items:
        item.active = False  # free: the premium can be paid again and its grace runs as for any unpaid one
    order.status, order.paid_at = SUCCEEDED, uow.clock.now()  # it was taken: refund() sends back paid money
    refund_record = refund(uow, order.reference, min(taken, order.amount), reason="review", actor=staff.actor)
    order.status = REFUNDED  # all that was taken goes back, even when it was less than asked
    chain.record(uow, staff.actor, "payment.review_refunded", subject=f"payment:{order.reference}",
                 detail={"note": note, "amount": str(refund_record.amount)})
    _tell(uow, order, REFUNDED_TEXT, reference=order.reference, policies=policies, amount=f"¥{refund_record.amount:,.2f}")
    return order


def _reported_yuan(uow: "UnitOfWork", order: PaymentOrder) -> Decimal | None:
    """What the provider said it took, if in the order's currency (the refund is in it too)."""
    detail = uow.session.scalar(select(AuditEntry.detail).where(
        AuditEntry.subject == f"payment:{order.reference}", AuditEntry.action == "payment.mismatch")
        .order_by(AuditEntry.seq.desc()).limit(1))
    if detail is None or not order.provider_payment_id:
        return None
    values = json.loads(detail)
    if values.get("reported_fen") is None or (values.get("reported_currency") or "").lower() != order.currency.lower():
        return None
    return from_minor_units(values["reported_fen"])


def _tell(uow: "UnitOfWork", order: PaymentOrder, text: str, **params: str) -> None:
    customer = uow.session.get(Customer, order.customer_id)
    to = contacts_of(uow, customer)
    body = translate(to.locale, text, **params)
    if to.mobile:
        outbox.queue(uow, channel="sms", kind="payment_review_settled", recipient=to.mobile, body=body,
                     locale=to.locale, customer_id=customer.id)
    if to.email:
        outbox.queue(uow, channel="email", kind="payment_review_settled", recipient=to.email, body=body,
                     subject=translate(to.locale, SUBJECT), locale=to.locale, customer_id=customer.id)
