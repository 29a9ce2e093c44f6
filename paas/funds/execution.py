"""Executing fund orders at the next unit price, for the nightly cycle once the day's prices
are in. Each pending order takes the first price of its fund dated on or after its trade
date (and no later than the run date). Within a request, sells go first: a switch buys with
what its sale raised. Once all of a request's orders are executed it is settled (a partial
withdrawal is paid out then, with what the sale really raised). Only pending orders are
looked at, so a rerun does nothing twice."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.funds.models import FundHolding, FundOrder, FundPrice
from paas.funds.orders import BUY, EXECUTED, PENDING, SELL, UNIT
from paas.money import to_fen
from paas.policies.models import Policy

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def execute_fund_orders(uow: "UnitOfWork", on: date) -> int:
    """Execute what the prices published up to ``on`` allow; returns the orders executed."""
    policy_ids = uow.session.scalars(
        select(FundOrder.policy_id).where(FundOrder.status == PENDING, FundOrder.trade_date <= on)
        .distinct().order_by(FundOrder.policy_id)).all()
    executed = 0
    for policy_id in policy_ids:
        # Under the policy's lock, taken in id order like every crediting path: servicing on
        # this policy waits, then sees the units after the trade.
        uow.session.execute(select(Policy.id).where(Policy.id == policy_id).with_for_update())
        executed += _execute_for_policy(uow, policy_id, on)
    return executed


def _execute_for_policy(uow: "UnitOfWork", policy_id: int, on: date) -> int:
    from paas.servicing.fund_proceeds import settle_request  # what a request wants done once traded

    orders = list(uow.session.scalars(select(FundOrder).where(
        FundOrder.policy_id == policy_id, FundOrder.status == PENDING, FundOrder.trade_date <= on)
        .order_by(FundOrder.id).with_for_update()))
    count = 0
    for reference in dict.fromkeys(order.request_reference for order in orders):
        for order in sorted((o for o in orders if o.request_reference == reference), key=lambda o: o.kind != SELL):
            if order.kind == BUY and order.amount is None and _unsold(uow, reference):
                continue  # a switch buys only with the whole of what its sale raised
            price = _next_price(uow, order.fund_code, order.trade_date, on)
            if price is not None:
                _trade(uow, order, price, on)
                count += 1
        if not _left(uow, reference):
            settle_request(uow, policy_id, reference, sale_proceeds(uow, reference), on)
    return count


def _trade(uow: "UnitOfWork", order: FundOrder, price: Decimal, on: date) -> None:
    holding = uow.session.get(FundHolding, (order.policy_id, order.fund_code))
    if holding is None:
        holding = FundHolding(policy_id=order.policy_id, fund_code=order.fund_code, units=Decimal(0))
        uow.session.add(holding)
    if order.kind == SELL:
        wanted = order.units if order.units is not None else (order.amount / price).quantize(UNIT, rounding=ROUND_UP)
        units = min(wanted, holding.units)
        # A money sale raises what it asked for; a unit sale (or one the holding ran short
        # for) raises what its units fetch.
        amount = order.amount if order.units is None and units == wanted else to_fen(units * price)
        holding.units -= units
    else:
        amount = order.amount if order.amount is not None else sale_proceeds(uow, order.request_reference)
        units = (amount / price).quantize(UNIT, rounding=ROUND_DOWN)
        holding.units += units
    order.status, order.price, order.executed_units, order.executed_amount, order.executed_on = (
        EXECUTED, price, units, amount, on)
    uow.session.flush()


def _next_price(uow: "UnitOfWork", fund_code: str, trade_date: date, on: date) -> Decimal | None:
    return uow.session.scalar(
        select(FundPrice.price).where(FundPrice.fund_code == fund_code, FundPrice.price_date >= trade_date,
                                      FundPrice.price_date <= on).order_by(FundPrice.price_date).limit(1))


def sale_proceeds(uow: "UnitOfWork", reference: str) -> Decimal:
    total = uow.session.scalar(select(func.coalesce(func.sum(FundOrder.executed_amount), 0)).where(
        FundOrder.request_reference == reference, FundOrder.kind == SELL, FundOrder.status == EXECUTED))
    return to_fen(Decimal(str(total)))


def _unsold(uow: "UnitOfWork", reference: str) -> bool:
    return _left(uow, reference, kind=SELL)


def _left(uow: "UnitOfWork", reference: str, *, kind: str | None = None) -> bool:
    query = select(FundOrder.id).where(FundOrder.request_reference == reference, FundOrder.status == PENDING)
    if kind is not None:
        query = query.where(FundOrder.kind == kind)
    return uow.session.scalar(query.limit(1)) is not None
