"""A unit-linked policy's funds: units held, the latest unit price and the value (query 21207)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select

from paas.funds.models import FundHolding, FundPrice
from paas.money import to_fen
from paas.products.spec import ProductSpec

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class FundPosition:
    fund_code: str
    name_zh: str
    name_en: str
    risk: str
    units: Decimal
    price: Decimal | None
    price_date: date | None

    @property
    def value(self) -> Decimal:
        return to_fen(self.units * self.price) if self.price is not None else Decimal("0.00")

    def name(self, locale: str) -> str:
        return self.name_zh if locale == "zh" else self.name_en


_HOLDINGS = select(FundHolding.fund_code, FundHolding.units).where(FundHolding.policy_id == bindparam("policy_id"))
_LATEST = (
    select(FundPrice.price, FundPrice.price_date)
    .where(FundPrice.fund_code == bindparam("fund_code"), FundPrice.price_date <= bindparam("today"))
    .order_by(FundPrice.price_date.desc())
    .limit(1)
)


def latest_price(uow: "UnitOfWork", fund_code: str, on: date) -> tuple[Decimal, date] | None:
    row = uow.connection().execute(_LATEST, {"fund_code": fund_code, "today": on}).one_or_none()
    return (row[0], row[1]) if row else None


def fund_positions(uow: "UnitOfWork", policy_id: int, spec: ProductSpec, on: date) -> tuple[FundPosition, ...]:
    held = dict(uow.connection().execute(_HOLDINGS, {"policy_id": policy_id}).all())
    positions = []
    for fund in spec.unit_linked.funds:
        units = held.get(fund.code, Decimal(0))
        price = latest_price(uow, fund.code, on)
        positions.append(FundPosition(fund.code, fund.name_zh, fund.name_en, fund.risk, units,
                                      price[0] if price else None, price[1] if price else None))
    return tuple(positions)
