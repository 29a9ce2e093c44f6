from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class DividendDeclaration(Base):
    """The dividend declared for one policy year; one per year, however often it is run."""

    __tablename__ = "dividend_declarations"
    __table_args__ = (UniqueConstraint("policy_id", "policy_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    policy_year: Mapped[int]
    declared_on: Mapped[date]
    amount: Mapped[Decimal]
    option: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
