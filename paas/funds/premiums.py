"""A unit-linked policy's premiums buy units: the product's allocation share of each premium
(by policy year) is invested at the next unit price, split as the future premium allocation
says (or as the policy holds its funds now, if none was chosen)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from paas.funds.allocation import allocation_weights
from paas.funds.orders import BUY, next_trade_date, place_money_orders, split_by_weight
from paas.funds.positions import fund_positions
from paas.money import to_fen
from paas.products import catalogue
from paas.products.values import policy_year_position

if TYPE_CHECKING:
    from paas.policies.models import Policy
    from paas.unit_of_work import UnitOfWork

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def premium_order_reference(policy_id: int, due_date: date) -> str:
    """One per premium due ("PM" + due date + policy id in base 36: at most 16 characters),
    so crediting the same premium twice places its orders once."""
    digits, n = "", policy_id
    while True:
        n, r = divmod(n, 36)
        digits = _DIGITS[r] + digits
        if n == 0:
            return f"PM{due_date:%Y%m%d}{digits}"


def invest_premium(uow: "UnitOfWork", policy: "Policy", due_date: date, amount: Decimal) -> Decimal:
    """Place the buy orders for a premium just credited; returns the amount invested (0 for
    a policy that is not unit-linked)."""
    spec = catalogue.product(policy.product.code, policy.product.version)
    terms = spec.unit_linked
    if terms is None:
        return Decimal("0.00")
    completed_years, _ = policy_year_position(policy.issue_date, due_date)
    invested = to_fen(amount * terms.allocation_rate(completed_years + 1))
    if invested <= 0:
        return Decimal("0.00")
    today = uow.clock.today()
    weights = allocation_weights(policy.fund_allocation, fund_positions(uow, policy.id, spec, today))
    place_money_orders(uow, policy.id, premium_order_reference(policy.id, due_date), BUY,
                       split_by_weight(invested, weights), next_trade_date(today))
    return invested
