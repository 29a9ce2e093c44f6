"""A unit-linked policy's premium buys units: the product's allocation share for the policy
year, split as the future premium allocation says, at the next unit price; once per due."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from paas.audit.chain import SYSTEM
from paas.billing.crediting import credit_premium
from paas.funds.allocation import stored_allocation
from paas.funds.execution import execute_fund_orders
from paas.funds.models import FundHolding
from paas.funds.orders import BUY, pending_orders, split_by_weight
from paas.money import to_fen
from tests.integration.servicing_money_support import NEXT_TRADE, holder, priced_policy, unit_linked


def _credit(uow, policy, due=None, reference="pay-1"):
    return credit_premium(uow, policy, due or policy.paid_to_date, policy.modal_premium, kind="payment",
                          channel="online", reference=reference, actor=SYSTEM)


def test_a_renewal_premium_buys_units_as_the_allocation_says_once(uow):
    customer, _ = holder(uow)
    # Issued 2025-12-01 and paid to 2027-12-01: that due opens policy year 3, where 90% is invested.
    policy = unit_linked(uow, customer, {"BOND": "100"}, issue=date(2025, 12, 1),
                         allocation=stored_allocation({"BOND": 70, "GROW": 30}))
    premium, due = policy.modal_premium, policy.paid_to_date
    assert _credit(uow, policy, due)
    invested = to_fen(premium * Decimal("0.90"))
    orders = pending_orders(uow, policy.id)
    assert {o.fund_code: o.amount for o in orders} == split_by_weight(invested, {"BOND": Decimal(70), "GROW": Decimal(30)})
    assert sum(o.amount for o in orders) == invested
    assert {(o.kind, o.trade_date) for o in orders} == {(BUY, NEXT_TRADE)}

    assert not _credit(uow, policy, due, reference="pay-1-again")  # already credited: no second purchase
    assert len(pending_orders(uow, policy.id)) == len(orders)

    execute_fund_orders(uow, NEXT_TRADE)  # GROW is priced 1.0000 on the Monday
    grow = uow.session.get(FundHolding, (policy.id, "GROW"))
    assert grow is not None and grow.units == {o.fund_code: o.amount for o in orders}["GROW"]


def test_a_premium_of_a_policy_without_funds_buys_nothing(uow):
    customer, _ = holder(uow)
    policy = priced_policy(uow, customer, "WLPAR", "100000")
    assert _credit(uow, policy)
    assert pending_orders(uow, policy.id) == []
