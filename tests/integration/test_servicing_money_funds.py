"""Unit-linked servicing: top-up, partial withdrawal (105), fund switch (102) and future
premium allocation (101). Orders wait for the next unit price; executing them moves the
units, and a withdrawal is paid with what its sale raised."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.errors import InvalidInput, NotPermitted
from paas.funds.execution import execute_fund_orders
from paas.funds.models import FundHolding, FundOrder, FundPrice
from paas.servicing import engine
from paas.servicing.context import load_context
from paas.servicing.kinds import common
from paas.servicing.kinds.investing import NO_FUNDS
from paas.servicing.registry import transaction
from tests.integration.servicing_money_support import (
    NEXT_TRADE, TODAY, event, holder, last_code, outcome, priced_policy, run, unit_linked,
)

UNITS = {"BOND": "20000", "BAL": "10000"}  # 24,000 + 20,000 = 44,000.00 today


@pytest.fixture
def ulink(uow):
    customer, who = holder(uow)
    policy = unit_linked(uow, customer, UNITS)
    uow.commit()
    return who, policy


def _orders(uow, request):
    return {o.fund_code: o for o in uow.session.scalars(select(FundOrder).where(
        FundOrder.request_reference == request.reference))}


def _units(uow, policy):
    return {h.fund_code: h.units for h in uow.session.scalars(select(FundHolding).where(FundHolding.policy_id == policy.id))}


def test_a_top_up_follows_the_allocation_and_buys_at_the_next_price(uow, ulink):
    who, policy = ulink
    run(uow, who, policy, "fund_allocation", {"allocation": {"BOND": "30", "BAL": "0", "GROW": "70"}})
    assert json.loads(policy.fund_allocation) == {"BOND": 30, "GROW": 70}
    request = run(uow, who, policy, "top_up", {"amount": "1000.01", "bank_account": "1"})
    orders = _orders(uow, request)
    assert {c: o.amount for c, o in orders.items()} == {"BOND": Decimal("300.00"), "GROW": Decimal("700.01")}
    assert {o.trade_date for o in orders.values()} == {NEXT_TRADE} and {o.kind for o in orders.values()} == {"buy"}
    assert event(uow, policy, f"collection:{request.reference}")["amount"] == "1000.01"
    assert execute_fund_orders(uow, TODAY) == 0  # Monday's price is not out on Friday
    assert execute_fund_orders(uow, NEXT_TRADE) == 2
    assert _units(uow, policy) == {"BOND": Decimal("20240.000000"), "BAL": Decimal("10000"),
                                   "GROW": Decimal("700.010000")}  # 300 / 1.25, 700.01 / 1.00
    assert execute_fund_orders(uow, NEXT_TRADE) == 0  # a rerun does nothing


def test_without_an_allocation_a_top_up_follows_the_holdings(uow, ulink):
    who, policy = ulink
    request = run(uow, who, policy, "top_up", {"amount": "4400", "bank_account": "1"})
    assert {c: o.amount for c, o in _orders(uow, request).items()} == {"BOND": Decimal("2400.00"), "BAL": Decimal("2000.00")}


@pytest.mark.parametrize(("amount", "message"), [
    ("999.99", "at least"), ("1000000.01", "The most"), ("-1000", "Enter an amount"), ("0", "greater than zero"),
    ("1000.123", "Enter an amount"),
])
def test_top_up_amount_limits(uow, ulink, amount, message):
    who, policy = ulink
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "top_up", {"amount": amount, "bank_account": "1"})
    assert message in error.value.message


def test_no_top_up_in_the_free_look_period_nor_without_funds(uow):
    customer, who = holder(uow)
    fresh = unit_linked(uow, customer, UNITS, issue=date(2026, 11, 20))
    with pytest.raises(NotPermitted) as error:
        run(uow, who, fresh, "top_up", {"amount": "5000", "bank_account": "1"})
    assert error.value.params == {"date": "2026-12-05"}
    whole_life = priced_policy(uow, customer, "WLPAR", "100000")
    for kind in ("top_up", "partial_withdrawal", "fund_switch", "fund_allocation"):
        assert transaction(kind).eligibility(load_context(uow, whole_life.id)) == NO_FUNDS


def test_partial_withdrawal_sells_pro_rata_and_pays_after_the_sale(uow, ulink):
    who, policy = ulink
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "partial_withdrawal", {"amount": "39000.01", "bank_account": "1"})
    assert error.value.params["maximum"] == "39,000.00"  # 44,000 less the 5,000 that stays; no charge in year 7
    request = run(uow, who, policy, "partial_withdrawal", {"amount": "11000", "bank_account": "1"})
    orders = _orders(uow, request)
    assert {c: (o.kind, o.amount) for c, o in orders.items()} == {"BOND": ("sell", Decimal("6000.00")),
                                                                  "BAL": ("sell", Decimal("5000.00"))}
    assert event(uow, policy, f"payout:{request.reference}") is None  # nothing is paid before the sale
    with pytest.raises(InvalidInput) as error:  # the pending sale is already counted
        run(uow, who, policy, "partial_withdrawal", {"amount": "28000.01", "bank_account": "1"})
    assert error.value.params["maximum"] == "28,000.00"
    execute_fund_orders(uow, NEXT_TRADE)
    assert _units(uow, policy) == {"BOND": Decimal("15200.000000"), "BAL": Decimal("7368.421052")}
    assert event(uow, policy, f"payout:{request.reference}")["amount"] == "11000.00"
    assert {o.executed_amount for o in orders.values()} == {Decimal("6000.00"), Decimal("5000.00")}


def test_the_surrender_charge_of_the_year_is_taken_from_the_funds(uow):
    customer, who = holder(uow)
    policy = unit_linked(uow, customer, UNITS, issue=date(2024, 3, 1))  # policy year 3: 3%
    request = run(uow, who, policy, "partial_withdrawal", {"amount": "1000", "bank_account": "1"})
    assert outcome(request)["charge"] == "30.00"
    assert sum(o.amount for o in _orders(uow, request).values()) == Decimal("1030.00")
    assert json.loads(request.preview)[1] == {"label": "Surrender charge", "before": None, "after": "30.00", "kind": "money"}
    other = unit_linked(uow, customer, UNITS, issue=date(2024, 3, 1))
    with pytest.raises(InvalidInput) as error:
        run(uow, who, other, "partial_withdrawal", {"amount": "50000", "bank_account": "1"})
    assert error.value.params["maximum"] == "37,864.07"  # (44,000 - 5,000) / 1.03, down to the fen
    assert Decimal("37864.07") + (Decimal("37864.07") * Decimal("0.03")).quantize(Decimal("0.01")) <= 39000


def test_nothing_to_withdraw_below_the_minimum(uow):
    customer, who = holder(uow)
    small = unit_linked(uow, customer, {"BOND": "4000"})  # 4,800.00
    with pytest.raises(NotPermitted) as error:
        run(uow, who, small, "partial_withdrawal", {"amount": "1", "bank_account": "1"})
    assert error.value.params == {"minimum": "5,000.00"}


def test_a_switch_sells_then_buys_with_the_proceeds(uow, ulink):
    who, policy = ulink
    request = run(uow, who, policy, "fund_switch", {"from_fund": "BAL", "to_fund": "GROW", "percent": "25"})
    orders = _orders(uow, request)
    assert (orders["BAL"].kind, orders["BAL"].units, orders["GROW"].kind, orders["GROW"].amount) == (
        "sell", Decimal("2500"), "buy", None)
    execute_fund_orders(uow, NEXT_TRADE)
    assert orders["BAL"].executed_amount == Decimal("4750.00") == orders["GROW"].executed_amount  # 2,500 x 1.90
    assert _units(uow, policy) == {"BOND": Decimal("20000"), "BAL": Decimal("7500.000000"), "GROW": Decimal("4750.000000")}


@pytest.mark.parametrize(("inputs", "field"), [
    ({"from_fund": "BAL", "to_fund": "BAL", "percent": "10"}, "to_fund"),
    ({"from_fund": "GROW", "to_fund": "BAL", "percent": "10"}, "from_fund"),  # none held
    ({"from_fund": "BAL", "to_fund": "GROW"}, "percent"),
    ({"from_fund": "BAL", "to_fund": "GROW", "percent": "10", "units": "5"}, "percent"),
    ({"from_fund": "BAL", "to_fund": "GROW", "percent": "0"}, "percent"),
    ({"from_fund": "BAL", "to_fund": "GROW", "percent": "101"}, "percent"),
    ({"from_fund": "BAL", "to_fund": "GROW", "percent": "12.5"}, "percent"),
    ({"from_fund": "BAL", "to_fund": "GROW", "units": "-1"}, "units"),
    ({"from_fund": "BAL", "to_fund": "GROW", "units": "10000.000001"}, "units"),
    ({"from_fund": "BAL", "to_fund": "GROW", "units": "1.0000001"}, "units"),
    ({"from_fund": "CASH", "to_fund": "GROW", "percent": "10"}, "from_fund"),
])
def test_bad_switches_are_refused(uow, ulink, inputs, field):
    who, policy = ulink
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "fund_switch", inputs)
    assert error.value.field == field


@pytest.mark.parametrize(("allocation", "message"), [
    ({"BOND": "50", "BAL": "49"}, "add up to 99%"), ({"BOND": "50.5", "BAL": "49.5"}, "whole percentage"),
    ({"BOND": "-10", "BAL": "110"}, "whole percentage"), ({"CASH": "100"}, "not one of"), ({}, "whole percentage"),
])
def test_bad_allocations_are_refused(uow, ulink, allocation, message):
    who, policy = ulink
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "fund_allocation", {"allocation": allocation})
    assert message in (error.value.message % error.value.params if error.value.params else error.value.message)


def test_fund_kinds_wait_for_a_claim_and_end_with_the_policy(uow, ulink):
    from dataclasses import replace

    _, policy = ulink
    ctx = load_context(uow, policy.id)
    for kind in ("top_up", "partial_withdrawal", "fund_switch", "fund_allocation"):
        assert transaction(kind).eligibility(replace(ctx, open_claim=True)) == common.CLAIM_OPEN
    policy.status, policy.status_date = "lapsed", uow.clock.today()  # lapsed today: reinstating is still open
    for kind in ("top_up", "partial_withdrawal", "fund_switch", "fund_allocation"):
        assert transaction(kind).eligibility(load_context(uow, policy.id)) == common.LAPSED_NOW


def test_confirming_a_withdrawal_rechecks_the_fund_value_then(uow, ulink):
    who, policy = ulink
    request = run(uow, who, policy, "partial_withdrawal", {"amount": "39000", "bank_account": "1"}, code=False)
    today = uow.session.get(FundPrice, ("BAL", TODAY))
    today.price = Decimal("1.9000")  # a corrected price: the funds are now worth 43,000.00
    uow.session.flush()
    with pytest.raises(InvalidInput) as error:
        engine.confirm(uow, who, request.reference, last_code(uow, request.reference))
    assert error.value.params["maximum"] == "38,000.00"
    assert uow.session.scalar(select(FundOrder.id).where(FundOrder.request_reference == request.reference)) is None
