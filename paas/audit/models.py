from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime]
    actor_type: Mapped[str] = mapped_column(String(12))  # customer / staff / system
    actor_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str | None] = mapped_column(String(120), index=True)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON
    address: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 under key_id; plain SHA-256 if legacy
    # The key ring's MAC key that made ``hash``; None only for entries written before links were keyed.
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditHead(Base):
    """The single row holding the end of the chain. Appending locks it, which orders
    concurrent writers and lets verification notice a truncated tail."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
