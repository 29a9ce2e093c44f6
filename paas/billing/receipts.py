"""What the customer sees of their payments: one payment (waiting, receipt or failure) and
the history. Another customer's payment is not found, like one that does not exist."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.billing.card import card_of
from paas.billing.expiry import PENDING_LIFETIME
from paas.billing.models import PaymentOrder, PaymentOrderItem
from paas.billing.orders import PENDING, customer_order, locked_order
from paas.errors import N_, NotFound
from paas.policies.models import Policy, PremiumPayment
from paas.policies.schedule import next_due_after
from paas.products.models import Product

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class PaidPremium:
    policy_number: str
    product_name_zh: str
    product_name_en: str
    due_date: date
    amount: Decimal
    credited: bool
    paid_to: date | None  # the policy's paid-to date once this premium was credited

    def product_name(self, locale: str) -> str:
        return self.product_name_zh if locale == "zh" else self.product_name_en


@dataclass(frozen=True)
class PaymentView:
    reference: str
    status: str
    amount: Decimal
    currency: str
    created_at: datetime
    paid_at: datetime | None
    failure_reason: str | None
    refunded_amount: Decimal
    checkout_url: str | None  # while it waits for the customer
    premiums: list[PaidPremium]
    card_last4: str | None = None  # known once the card was accepted
    closes_at: datetime | None = None  # while pending: it closes by itself then, unless paid

    @property
    def pending(self) -> bool:
        return self.status == PENDING

    @property
    def card_accepted(self) -> bool:
        """The card went through: only the bank's confirmation is missing, nothing to cancel."""
        return self.card_last4 is not None


def payment_view(uow: "UnitOfWork", customer_id: int, reference: str) -> PaymentView:
    order = customer_order(uow, customer_id, reference)
    if order is None:
        raise NotFound(N_("We could not find that payment."))
    rows = uow.session.execute(
        select(PaymentOrderItem, Policy, Product.name_zh, Product.name_en, PremiumPayment.id)
        .join(Policy, Policy.id == PaymentOrderItem.policy_id).join(Product, Product.id == Policy.product_id)
        .outerjoin(PremiumPayment, (PremiumPayment.policy_id == PaymentOrderItem.policy_id)
                   & (PremiumPayment.due_date == PaymentOrderItem.due_date) & (PremiumPayment.reference == order.reference))
        .where(PaymentOrderItem.order_id == order.id).order_by(Policy.policy_number, PaymentOrderItem.due_date)
    ).all()
    premiums = [
        PaidPremium(policy.policy_number, name_zh, name_en, item.due_date, item.amount, credited is not None,
                    _paid_to(policy, item.due_date) if credited is not None else None)
        for item, policy, name_zh, name_en, credited in rows
    ]
    return _view(order, premiums)


def payment_history(uow: "UnitOfWork", customer_id: int) -> list[PaymentView]:
    orders = uow.session.scalars(
        select(PaymentOrder).where(PaymentOrder.customer_id == customer_id)
        .order_by(PaymentOrder.created_at.desc(), PaymentOrder.id.desc()).limit(HISTORY_LIMIT)
    ).all()
    return [_view(order, []) for order in orders]


def reference_for_session(uow: "UnitOfWork", customer_id: int, session_id: str) -> str:
    reference = uow.session.scalar(select(PaymentOrder.reference).where(
        PaymentOrder.provider_session_id == session_id, PaymentOrder.customer_id == customer_id))
    if reference is None:
        raise NotFound(N_("We could not find that payment."))
    return reference


def returned_from_checkout(uow: "UnitOfWork", customer_id: int, session_id: str) -> str:
    """The customer is back from the provider's page: ask it which card paid, if one did (the
    bank's confirmation may still be on its way), so the page shows it and offers no cancel."""
    reference = reference_for_session(uow, customer_id, session_id)
    order = locked_order(uow, PaymentOrder.reference == reference)
    if order is not None and order.card_last4 is None:
        order.card_last4 = card_of(uow, order)
    return reference


def _paid_to(policy: Policy, due: date) -> date:
    following = next_due_after(policy.issue_date, policy.premium_mode, due)
    return min(following, policy.premium_end_date) if policy.premium_end_date else following


def _view(order: PaymentOrder, premiums: list[PaidPremium]) -> PaymentView:
    return PaymentView(order.reference, order.status, order.amount, order.currency, order.created_at, order.paid_at,
                       order.failure_reason, order.refunded_amount, order.checkout_url if order.status == PENDING else None,
                       premiums, order.card_last4,
                       order.created_at + PENDING_LIFETIME if order.status == PENDING else None)
