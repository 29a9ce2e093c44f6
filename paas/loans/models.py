from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class PolicyLoan(Base):
    """One loan. ``balance`` is principal plus interest capitalised up to ``interest_to``;
    interest after that accrues day by day and is capitalised at each policy anniversary."""

    __tablename__ = "policy_loans"
    # At most one open loan per policy: borrowing again adds to it (after capitalising the
    # interest so far), which keeps debt and its interest a single, simple line.
    __table_args__ = (
        Index(
            "uq_policy_loans_one_open", "policy_id", unique=True,
            postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    principal: Mapped[Decimal]
    interest_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    taken_on: Mapped[date]
    interest_to: Mapped[date]
    balance: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(8), default="open")  # open / repaid
    created_at: Mapped[datetime]
