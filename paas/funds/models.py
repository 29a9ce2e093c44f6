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
