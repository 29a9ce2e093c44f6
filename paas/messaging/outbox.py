"""Queue a message with the change that causes it; deliver it once that change is committed."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from iaas.messaging import Envelope
from paas.messaging.models import OutboxMessage

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def queue(
    uow: "UnitOfWork",
    *,
    channel: str,
    kind: str,
    recipient: str,
    body: str,
    locale: str,
    subject: str | None = None,
    customer_id: int | None = None,
) -> OutboxMessage:
    if channel not in ("email", "sms"):
        raise ValueError(f"unknown channel {channel!r}")
    uow.require_transaction("the outbox")
    message = OutboxMessage(
        channel=channel,
        kind=kind,
        recipient=recipient,
        subject=subject,
        body=body,
        locale=locale,
        customer_id=customer_id,
        status="pending",
        attempts=0,
        created_at=uow.clock.now(),
    )
    uow.session.add(message)
    uow.after_commit(_DeliveryAfterCommit(uow.platform))
    return message


@dataclass(frozen=True, eq=False)
class _DeliveryAfterCommit:
    """One delivery pass after the commit, however many messages the change queued: equal for
    the same platform, so the unit of work (which keeps each distinct action once) runs one."""

    platform: "Platform"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _DeliveryAfterCommit) and other.platform is self.platform

    def __hash__(self) -> int:
        return id(self.platform)

    def __call__(self) -> None:
        deliver_pending(self.platform)


def deliver_pending(platform: "Platform", *, limit: int = 100) -> int:
    """Send what is pending in one batch transaction; returns how many went out.

    On PostgreSQL rows are claimed with SKIP LOCKED so two workers never take the same
    message. A crash before the commit re-sends at most this batch: each envelope carries
    the outbox reference so a gateway (or the provider) can drop the repeat."""
    sent = 0
    with platform.unit_of_work() as uow:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending")
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for message in uow.session.execute(query).scalars():
            gateway = platform.gateways.get(message.channel)
            message.attempts += 1
            try:
                if gateway is None:
                    raise RuntimeError(f"no gateway for {message.channel}")
                message.provider_id = gateway.send(
                    Envelope(message.channel, message.recipient, message.subject, message.body, f"msg-{message.id}")
                )
            except Exception as exc:  # one bad message must not stop the others
                log.warning("outbox message %s failed: %s", message.id, exc)
                message.last_error = str(exc)[:300]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = "failed"
                continue
            message.status = "sent"
            message.sent_at = uow.clock.now()
            sent += 1
        uow.commit()
    return sent
