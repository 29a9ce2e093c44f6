"""Message gateways (mail, SMS). The outbox table decides *what* is sent and when (after the
commit); a gateway only carries one message. Embedded default: files under the data folder.
In the cloud: mail through SES (``iaas.messaging.ses``), SMS through End User Messaging SMS or
SNS (``iaas.messaging.sms``); ``portal.cloud_wiring`` picks them from the environment."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from iaas.messaging.local import LocalFolderGateway

__all__ = ["Attachment", "Envelope", "MessageGateway", "LocalFolderGateway"]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Envelope:
    channel: str  # "email" or "sms"
    recipient: str
    subject: str | None
    body: str
    reference: str  # our outbox id, so a retried send can be recognised downstream
    attachments: tuple[Attachment, ...] = ()  # e-mail only (a notice's PDF)


class MessageGateway(Protocol):
    def send(self, envelope: Envelope) -> str:
        """Deliver one message; return the provider's message id. Raise on failure."""
