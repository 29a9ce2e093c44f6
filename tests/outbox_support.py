"""Reading a one-time code as only a test may: the outbox keeps codes sealed and erases them
once delivered, so a test reads what the gateway was handed, or unseals through the key ring."""
from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import select

from iaas.keyring import LocalKeyRing
from iaas.messaging.local import DeliveredMessage, LocalFolderGateway
from paas.messaging.models import OutboxMessage
from paas.messaging.outbox import SECRETS_CONTEXT, placeholder

# Six digits standing alone: in Chinese text the code touches the characters around it (no \b
# there), and a reference such as SR12345678AB must not be taken for one.
_CODE = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})(?![0-9A-Za-z])")


def code_in(text: str) -> str:
    match = _CODE.search(text)
    assert match, f"no six-digit code in {text!r}"
    return match[1]


def sms_code(uow, reference: str, *, recipient: str | None = None, kind: str | None = None) -> str:
    """The newest code sent about ``reference`` (to ``recipient``, of ``kind``), as its recipient got it."""
    sent = codes_sent(uow, reference, recipient=recipient, kind=kind)
    assert sent, f"no code was sent about {reference}"
    return sent[-1]


def codes_sent(uow, reference: str, *, recipient: str | None = None, kind: str | None = None) -> list[str]:
    """Every code sent about ``reference`` (to ``recipient``, of ``kind`` such as
    "servicing_contact_code"), oldest first, as their recipients got them."""
    uow.session.flush()
    uow.session.expire_all()  # see what other sessions (the web requests) committed
    query = select(OutboxMessage).where(
        OutboxMessage.body.contains(reference), OutboxMessage.body.contains(placeholder("code"), autoescape=True)
    )
    if recipient is not None:
        query = query.where(OutboxMessage.recipient == recipient)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return [_code_of(uow, message) for message in uow.session.scalars(query.order_by(OutboxMessage.id))]


def _code_of(uow, message: OutboxMessage) -> str:
    if message.sealed_secrets:  # not delivered yet
        return json.loads(uow.keyring.decrypt(message.sealed_secrets, context=SECRETS_CONTEXT))["code"]
    gateway = uow.platform.gateways[message.channel]
    handed = gateway.delivered(limit=10_000) if isinstance(gateway, LocalFolderGateway) else gateway.sent
    bodies = [e.body for e in handed if e.reference == f"msg-{message.id}"]
    assert bodies, f"message {message.id} was neither sealed nor handed to the gateway"
    return code_in(bodies[-1])


def local_messages(data_dir: Path, *, notices: bool = False) -> list[DeliveredMessage]:
    """What the embedded gateway of a server with this data folder delivered, newest first:
    the outbox's messages (codes, alerts), and the electronic notices too if asked (the demo's
    e-policies go out when it is seeded, ``notice-<id>-<channel>``)."""
    keyring = LocalKeyRing.from_json((data_dir / "keys" / "keyring.json").read_text(encoding="utf-8"))
    delivered = LocalFolderGateway(data_dir / "outbox", keyring).delivered(limit=10_000)
    return delivered if notices else [m for m in delivered if not m.reference.startswith("notice-")]
