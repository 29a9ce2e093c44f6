"""Premiums due (query 2): what a policyholder can pay now, with the grace period and the
lapse date of each, and the rules a payment must follow."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import and_, select

from iaas.bulk_rows import DIALECTS, one_of
from paas.billing.models import PaymentOrder, PaymentOrderItem
from paas.billing.review import NEEDS_REVIEW, HeldPayment, held_payment
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


# Prebuilt (compiled once): every DUE by SMS, the pay page and the asset sheet read these.
# The orders paying a premium now (pending) or held for review, of the policy's owner.
_OPEN_ORDERS = (select(PaymentOrderItem.policy_id, PaymentOrderItem.due_date, PaymentOrder.customer_id,
                       PaymentOrder.reference, PaymentOrder.status, PaymentOrder.amount, PaymentOrder.updated_at)
                .join(PaymentOrder, PaymentOrder.id == PaymentOrderItem.order_id)
                .where(PaymentOrder.status.in_(("pending", NEEDS_REVIEW)), PaymentOrderItem.active)
                .subquery("open_order"))
# The customers' policies with premiums payable, each with its open orders (a row per order,
# one row with none) in one round trip; the customers as one array on PostgreSQL.
_POLICIES = {dialect: select(Policy.owner_id, Policy.id, Policy.policy_number, Policy.status, Policy.issue_date,
                             Policy.premium_mode, Policy.premium_end_date, Policy.paid_to_date, Policy.modal_premium,
                             Product.name_zh, Product.name_en, _OPEN_ORDERS.c.due_date.label("order_due_date"),
                             _OPEN_ORDERS.c.reference.label("order_reference"),
                             _OPEN_ORDERS.c.status.label("order_status"), _OPEN_ORDERS.c.amount.label("order_amount"),
                             _OPEN_ORDERS.c.updated_at.label("order_updated_at"))
             .join(Product, Product.id == Policy.product_id)
             .outerjoin(_OPEN_ORDERS, and_(_OPEN_ORDERS.c.policy_id == Policy.id,
                                           _OPEN_ORDERS.c.customer_id == Policy.owner_id))
             .where(one_of(Policy.owner_id, "customer_ids", dialect), Policy.status.in_(PREMIUM_STATUSES))
             .order_by(Policy.paid_to_date, Policy.id) for dialect in DIALECTS}


def open_dues(uow: "UnitOfWork", customer_id: int) -> list[Due]:
    """Every premium the customer can pay now, oldest first within each policy."""
    return open_dues_of(uow, {customer_id})[customer_id]


def open_dues_of(uow: "UnitOfWork", customer_ids: set[int]) -> dict[int, list[Due]]:
    """``open_dues`` of several customers in one query (a batch of SMS queries)."""
    today = uow.clock.today()
    dues: dict[int, list[Due]] = {customer_id: [] for customer_id in customer_ids}
    if not customer_ids:
        return dues
    connection = uow.flushed_connection()  # an order added in this unit counts
    ids = sorted(customer_ids)
    policies = {}  # id -> its row, in the query's order
    in_payment: dict[tuple[int, date], str] = {}
    in_review: dict[tuple[int, date], HeldPayment] = {}
    for row in connection.execute(_POLICIES[connection.dialect.name], {"customer_ids": ids}):
        policies.setdefault(row.id, row)
        if row.order_reference is None:
            continue
        if row.order_status == NEEDS_REVIEW:
            in_review[(row.id, row.order_due_date)] = held_payment(row.order_reference, row.order_amount,
                                                                   row.order_updated_at)
        else:
            in_payment[(row.id, row.order_due_date)] = row.order_reference
    for policy in policies.values():
        for due in unpaid_dues(policy, today + timedelta(days=PAY_AHEAD_DAYS)):
            dues[policy.owner_id].append(Due(policy.id, policy.policy_number, policy.name_zh, policy.name_en, due,
                                             policy.modal_premium, in_payment.get((policy.id, due)),
                                             in_review.get((policy.id, due))))
    return dues
