"""Reading the outbox (console), for supervisors only: they answer "I never got the SMS".
Recipients are masked like any other personal data; a one-time code never shows (it is
sealed apart from the text until delivered, then erased)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.customers.masking import mask_email, mask_mobile
from paas.errors import N_, NotPermitted
from paas.messaging.models import OutboxMessage
from paas.messaging.outbox import masked
from paas.security.principal import Principal
from paas.security.roles import SUPERVISOR

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


OUTBOX_ROLES = (SUPERVISOR,)
NOT_PERMITTED = N_("The outbox is for supervisors.")


def may_read_outbox(staff: Principal | None) -> bool:
    return staff is not None and staff.is_staff and staff.role in OUTBOX_ROLES


def recent_messages(uow: "UnitOfWork", staff: Principal, *, limit: int = 100) -> list[OutboxLine]:
    if not may_read_outbox(staff):
        raise NotPermitted(NOT_PERMITTED)
    rows = uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).scalars()
    return [
        OutboxLine(
            m.id, m.created_at, m.channel, m.kind,
            mask_mobile(m.recipient) if m.channel == "sms" else mask_email(m.recipient),
            m.subject, masked(m.body), m.status, m.locale,
        )
        for m in rows
    ]
