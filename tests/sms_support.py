"""Sending an SMS to the portal as a phone would, and reading what came back."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from iaas.sms_inbound import InboundSms
from paas.messaging.models import OutboxMessage
from saas.sms.channel import handle

_ids = itertools.count(1)


def text_in(platform, sender: str, body: str, *, inbound_id: str | None = None, previous: str | None = None,
            source: str = "sns") -> str | None:
    return handle(platform, InboundSms(sender=sender, body=body, inbound_id=inbound_id or f"in-{next(_ids)}",
                                       source=source, recipient="+8610690000", previous_published_id=previous))


def sms_to(uow, mobile: str, *, kind: str | None = None) -> list[OutboxMessage]:
    uow.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.recipient == mobile, OutboxMessage.channel == "sms")
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(uow.session.scalars(query.order_by(OutboxMessage.id)))
