from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class ExternalAccount(Base):
    """An account the customer holds at another institution, as they told us: we never
    verify it, and only its owner sees it. URLs and the API name it by ``reference``."""

    __tablename__ = "external_accounts"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(12))
    institution: Mapped[str | None] = mapped_column(String(60))
    balance: Mapped[Decimal]
    as_of: Mapped[date]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
