"""Reading the outbox (console). Recipients are masked like any other personal data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.customers.masking import mask_email, mask_mobile
from paas.customers.search import require_staff
from paas.messaging.models import OutboxMessage
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class OutboxLine:
    id: int
    created_at: datetime
    channel: str
    kind: str
    recipient_masked: str
    subject: str | None
    body: str
    status: str
    locale: str  # the language the message is written in: the recipient's, not the reader's


def recent_messages(uow: "UnitOfWork", staff: Principal, *, limit: int = 100) -> list[OutboxLine]:
    require_staff(staff)
    rows = uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).scalars()
    return [
        OutboxLine(
            m.id, m.created_at, m.channel, m.kind,
            mask_mobile(m.recipient) if m.channel == "sms" else mask_email(m.recipient),
            m.subject, m.body, m.status, m.locale,
        )
        for m in rows
    ]
