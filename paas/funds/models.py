from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class FundPrice(Base):
    """The unit price of a fund on a valuation date (published once per business day)."""

    __tablename__ = "fund_prices"

    fund_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    price_date: Mapped[date] = mapped_column(primary_key=True)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 4))


class FundHolding(Base):
    __tablename__ = "fund_holdings"

    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), primary_key=True)
    fund_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    units: Mapped[Decimal] = mapped_column(Numeric(18, 6))


class FundOrder(Base):
    """A unit movement waiting for, or done at, the next unit price after it was asked for
    (top-up, partial withdrawal, switch). Executed by the cycle once that price exists."""

    __tablename__ = "fund_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    request_reference: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # buy / sell
    fund_code: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal | None]  # money to invest or to raise
    units: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))  # units to sell (a switch sells units)
    trade_date: Mapped[date]  # the first price date it may use
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending / executed
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    executed_units: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    executed_amount: Mapped[Decimal | None]
    executed_on: Mapped[date | None]
