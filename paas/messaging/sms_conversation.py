"""A number's SMS conversation as staff may read it (the console's simulator): what the
number sent (a code in it was masked when it was kept) and every SMS we sent it, a one-time
code always as dots (``outbox.masked``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.messaging.models import OutboxMessage
from paas.messaging.outbox import masked
from paas.messaging.sms_models import InboundSms

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

RECEIVED, SENT = "received", "sent"


@dataclass(frozen=True)
class ConversationLine:
    direction: str  # RECEIVED (from the phone) or SENT (to it)
    at: datetime
    text: str
    kind: str  # the command a received message was taken for, the outbox kind of a sent one
    status: str | None  # a sent one's outbox status
    locale: str


def conversation(uow: "UnitOfWork", mobile: str, *, limit: int = 40) -> list[ConversationLine]:
    received = uow.session.scalars(select(InboundSms).where(InboundSms.sender == mobile)
                                   .order_by(InboundSms.id.desc()).limit(limit))
    sent = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == mobile,
                                                           OutboxMessage.channel == "sms")
                               .order_by(OutboxMessage.id.desc()).limit(limit))
    lines = [((m.received_at, 0, m.id), ConversationLine(RECEIVED, m.received_at, m.body, m.command, None, m.reply_locale))
             for m in received]
    lines += [((m.created_at, 1, m.id), ConversationLine(SENT, m.created_at, masked(m.body), m.kind, m.status, m.locale))
              for m in sent]
    return [line for _key, line in sorted(lines, key=lambda pair: pair[0])][-limit:]
