from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))  # email / sms
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # a secret in it is only a placeholder (see outbox.queue)
    sealed_secrets: Mapped[str | None] = mapped_column(Text)  # key-ring sealed until delivered, then erased
    locale: Mapped[str] = mapped_column(String(8))
    customer_id: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)  # pending/sent/failed
    attempts: Mapped[int] = mapped_column(default=0)
    provider_id: Mapped[str | None] = mapped_column(String(120))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
