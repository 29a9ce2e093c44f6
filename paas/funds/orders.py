"""Fund orders that servicing places: bought or sold at the next unit price (the first one
struck after the day the order is given), so nobody trades on a price already known.
An order is keyed by its request's reference: placing a request's orders twice adds none."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.funds.models import FundOrder
from paas.funds.positions import FundPosition
from paas.money import FEN, to_fen

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

UNIT = Decimal("0.000001")
BUY, SELL, PENDING, EXECUTED, CANCELLED = "buy", "sell", "pending", "executed", "cancelled"


def next_trade_date(day: date) -> date:
    """The next weekday after ``day``. Public holidays are not modelled: an order dated on one
    waits for the first price published after it."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def pending_orders(uow: "UnitOfWork", policy_id: int) -> list[FundOrder]:
    return list(uow.session.scalars(select(FundOrder).where(FundOrder.policy_id == policy_id,
                                                            FundOrder.status == PENDING).order_by(FundOrder.id)))


@dataclass(frozen=True)
class FreePosition:
    """What a fund holds that no pending sell has claimed yet, at its latest price."""

    fund_code: str
    units: Decimal
    price: Decimal | None

    @property
    def value(self) -> Decimal:
        return to_fen(self.units * self.price) if self.price else Decimal("0.00")


def free_positions(positions: tuple[FundPosition, ...], pending: list[FundOrder]) -> dict[str, FreePosition]:
    """Holdings less pending sells (a money sell counted at the latest price), so two requests
    in one day cannot both sell the same units."""
    free = {}
    for p in positions:
        units = p.units
        for order in pending:
            if order.kind == SELL and order.fund_code == p.fund_code:
                units -= order.units if order.units is not None else _units_for(order.amount, p.price)
        free[p.fund_code] = FreePosition(p.fund_code, max(units, Decimal(0)), p.price)
    return free


def _units_for(amount: Decimal, price: Decimal | None) -> Decimal:
    return (amount / price).quantize(UNIT) if price else Decimal(0)


def split_by_weight(amount: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """``amount`` shared out in proportion to ``weights``, each part to the fen; the rounding
    remainder goes to the largest part, so the parts add up exactly."""
    total = sum(weights.values())
    parts = {code: (amount * w / total).quantize(FEN, rounding=ROUND_DOWN) for code, w in weights.items() if w > 0}
    largest = max(parts, key=lambda code: (weights[code], code))
    parts[largest] += amount - sum(parts.values())
    return {code: part for code, part in parts.items() if part > 0}


def place_money_orders(uow: "UnitOfWork", policy_id: int, reference: str, kind: str, amounts: dict[str, Decimal],
                       trade_date: date) -> None:
    """Buy for, or sell to raise, each amount."""
    if _placed(uow, reference):
        return
    for fund_code, amount in sorted(amounts.items()):
        uow.session.add(FundOrder(policy_id=policy_id, request_reference=reference, kind=kind, fund_code=fund_code,
                                  amount=amount, trade_date=trade_date, status=PENDING))
    uow.session.flush()


def place_switch(uow: "UnitOfWork", policy_id: int, reference: str, from_fund: str, units: Decimal, to_fund: str,
                 trade_date: date) -> None:
    """Sell units of one fund and buy another with what they raise, on the same trade date
    (the buy's amount is left open: the sale fixes it)."""
    if _placed(uow, reference):
        return
    uow.session.add_all([
        FundOrder(policy_id=policy_id, request_reference=reference, kind=SELL, fund_code=from_fund, units=units,
                  trade_date=trade_date, status=PENDING),
        FundOrder(policy_id=policy_id, request_reference=reference, kind=BUY, fund_code=to_fund,
                  trade_date=trade_date, status=PENDING),
    ])
    uow.session.flush()


def _placed(uow: "UnitOfWork", reference: str) -> bool:
    return uow.session.scalar(select(FundOrder.id).where(FundOrder.request_reference == reference).limit(1)) is not None
