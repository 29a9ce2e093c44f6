"""Premiums due (query 2): what a policyholder can pay now, with the grace period and the
lapse date of each, and the rules a payment must follow."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.billing.models import PaymentOrder, PaymentOrderItem
from paas.billing.review import HeldPayment, payments_in_review
from paas.policies.models import Policy
from paas.policies.schedule import due_dates
from paas.policies.terms import PREMIUM_STATUSES, SINGLE, grace_ends, lapse_date
from paas.products.models import Product

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

# Dues up to this far ahead can be paid early (a premium-due notice goes out 30 days before).
PAY_AHEAD_DAYS = 45


@dataclass(frozen=True)
class Due:
    policy_id: int
    policy_number: str
    product_name_zh: str
    product_name_en: str
    due_date: date
    amount: Decimal
    in_payment: str | None  # reference of a pending order already paying it
    in_review: HeldPayment | None = None  # a payment of it the provider reported oddly, being checked

    @property
    def grace_ends(self) -> date:
        return grace_ends(self.due_date)

    @property
    def lapses_on(self) -> date:
        return lapse_date(self.due_date)

    def overdue(self, today: date) -> bool:
        return self.due_date < today

    def product_name(self, locale: str) -> str:
        return self.product_name_zh if locale == "zh" else self.product_name_en


def unpaid_dues(policy: Policy, until: date) -> list[date]:
    """Due dates from the paid-to date up to ``until``, while premiums are payable."""
    if policy.status not in PREMIUM_STATUSES or policy.premium_mode == SINGLE:
        return []
    end = min(until + timedelta(days=1), policy.premium_end_date) if policy.premium_end_date else until + timedelta(days=1)
    return [due for due in due_dates(policy.issue_date, policy.premium_mode, before=end) if due >= policy.paid_to_date]


def open_dues(uow: "UnitOfWork", customer_id: int) -> list[Due]:
    """Every premium the customer can pay now, oldest first within each policy."""
    today = uow.clock.today()
    rows = uow.session.execute(
        select(Policy, Product.name_zh, Product.name_en)
        .join(Product, Product.id == Policy.product_id)
        .where(Policy.owner_id == customer_id, Policy.status.in_(PREMIUM_STATUSES))
        .order_by(Policy.paid_to_date, Policy.id)
    ).all()
    in_payment = dict(
        ((policy_id, due_date), reference)
        for policy_id, due_date, reference in uow.session.execute(
            select(PaymentOrderItem.policy_id, PaymentOrderItem.due_date, PaymentOrder.reference)
            .join(PaymentOrder, PaymentOrder.id == PaymentOrderItem.order_id)
            .where(PaymentOrder.customer_id == customer_id, PaymentOrder.status == "pending", PaymentOrderItem.active)
        )
    )
    in_review = payments_in_review(uow, customer_id)
    dues = []
    for policy, name_zh, name_en in rows:
        for due in unpaid_dues(policy, today + timedelta(days=PAY_AHEAD_DAYS)):
            dues.append(Due(policy.id, policy.policy_number, name_zh, name_en, due, policy.modal_premium,
                            in_payment.get((policy.id, due)), in_review.get((policy.id, due))))
    return dues
