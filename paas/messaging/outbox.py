"""Queue a message with the change that causes it; deliver it once that change is committed.

A one-time code is a secret even from staff: it is passed apart from the body, sealed with
the key ring, and put into the text only in the envelope handed to the gateway. The stored
body keeps a placeholder where it goes; once delivered (or given up), the sealed secret is
erased, so the table never holds a live code."""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, literal, select, update

from iaas.bulk_rows import arrays_of, unnested
from iaas.messaging import Envelope
from paas.messaging import optout
from iaas.metrics import DELIVERIES
from paas.messaging.models import OutboxMessage

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
SUPPRESSED = "stopped"  # not sent: the number opted out of SMS (paas.messaging.optout)
BATCH = 100  # messages per delivery transaction
DELIVER_JOB = "outbox.deliver"  # the job that delivers what is pending (paas.messaging.jobs)
SECRETS_CONTEXT = "outbox.secrets"
MASK = "••••••"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholder(name: str) -> str:
    """Where the secret ``name`` goes in a body queued with ``secrets={name: ...}``."""
    return f"%({name})s"


def _written_out(value: str, body: str) -> bool:
    """Whether ``value`` stands in ``body`` as a word of its own (not inside another word).
    Looked for with str.find, not a pattern built from the value: each code would be a new
    regular expression, compiled for every message."""
    at = body.find(value) if value else -1
    while at >= 0:
        end = at + len(value)
        if not (at > 0 and _word(body[at - 1])) and not (end < len(body) and _word(body[end])):
            return True
        at = body.find(value, at + 1)
    return False


def _word(character: str) -> bool:
    return character.isalnum() or character == "_"  # what \w matches


def masked(body: str) -> str:
    """The body as anyone but its recipient may read it: each secret shown as dots."""
    return _PLACEHOLDER.sub(MASK, body)


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
    secrets: Mapping[str, str] | None = None,
) -> OutboxMessage:
    """``secrets`` (e.g. ``{"code": "123456"}``) fill the body's ``placeholder(name)`` only at
    delivery; the body itself must not contain them."""
    if channel not in ("email", "sms"):
        raise ValueError(f"unknown channel {channel!r}")
    uow.require_transaction("the outbox")
    sealed = None
    if secrets:
        missing = sorted(name for name in secrets if placeholder(name) not in body)
        if missing:
            raise ValueError(f"the body has no placeholder for {', '.join(missing)}")
        # A tripwire for a caller that also formatted the code into the text (a code inside
        # another word, such as a reference, is chance, not a leak).
        if any(_written_out(value, body) for value in secrets.values()):
            raise ValueError("a secret is written out in the body: pass it only in secrets")
        sealed = uow.keyring.encrypt(json.dumps(dict(secrets)), context=SECRETS_CONTEXT)
    message = OutboxMessage(
        channel=channel,
        kind=kind,
        recipient=recipient,
        subject=subject,
        body=body,
        sealed_secrets=sealed,
        locale=locale,
        customer_id=customer_id,
        status="pending",
        attempts=0,
        created_at=uow.clock.now(),
    )
    uow.session.add(message)
    # One delivery job however many messages the change queued (the unit of work keeps each
    # distinct job once); a worker runs it once the change is committed.
    uow.enqueue_job(DELIVER_JOB)
    return message


@dataclass(frozen=True)
class TextMessage:
    channel: str
    kind: str
    recipient: str
    body: str
    locale: str
    customer_id: int | None = None


def queue_texts(uow: "UnitOfWork", messages: Sequence[TextMessage]) -> None:
    """``queue`` for messages with no secret and no subject (SMS replies), in one prebuilt
    statement: the inbound SMS channel queues one per message it answers."""
    if any(m.channel not in ("email", "sms") for m in messages):
        raise ValueError("unknown channel")
    if not messages:
        return
    uow.require_transaction("the outbox")
    now = uow.clock.now()
    rows = [{"channel": m.channel, "kind": m.kind, "recipient": m.recipient, "body": m.body, "locale": m.locale,
             "customer_id": m.customer_id, "created_at": now} for m in messages]
    connection = uow.session.connection()
    if len(rows) > 1 and connection.dialect.name == "postgresql":
        connection.execute(_QUEUE_TEXTS_POSTGRES, arrays_of(rows, _TEXT_COLUMNS))
    else:
        values = [{f"new_{name}": value for name, value in row.items()} for row in rows]
        connection.execute(_QUEUE_TEXT, values[0] if len(values) == 1 else values)
    uow.enqueue_job(DELIVER_JOB)


def texts_insert(source):
    """The insert of ``queue_texts`` taking its messages from ``source``, a select of
    ``TEXT_COLUMNS`` (no secret, no subject): for a statement of the caller's that writes
    something else with them (a CTE). Run it by ``queue_texts_by``."""
    return insert(OutboxMessage.__table__).from_select(
        (*_TEXT_COLUMNS, "status", "attempts"), source.add_columns(literal("pending"), literal(0)))


def queue_texts_by(uow: "UnitOfWork", statement, params: Mapping[str, object]) -> None:
    """Run ``statement`` (one of ``texts_insert``), which queues messages with no secret, in
    this unit's transaction; they are delivered once it commits, as ``queue_texts``'."""
    uow.require_transaction("the outbox")
    uow.session.connection().execute(statement, params)
    uow.enqueue_job(DELIVER_JOB)


def deliver_pending(platform: "Platform", *, limit: int = BATCH, covering_jobs: bool = False) -> int:
    """Send what is pending in one batch transaction; returns how many went out.

    On PostgreSQL rows are claimed with SKIP LOCKED so two workers never take the same
    message. A crash before the commit re-sends at most this batch: each envelope carries
    the outbox reference so a gateway (or the provider) can drop the repeat.

    ``covering_jobs``: the delivery jobs waiting when the batch begins were committed with
    their messages, so the batch sees those messages; it drops the jobs in its own transaction
    (where the queue can tell them: ``waiting``), and they are gone if and only if it commits."""
    sent = 0
    with platform.unit_of_work() as uow:
        connection = uow.session.connection()
        queue = platform.jobs if covering_jobs else None
        covered = queue.waiting(DELIVER_JOB, connection=connection) if queue is not None and queue.transactional else []
        claim = _CLAIM_LOCKED if connection.dialect.name == "postgresql" else _CLAIM
        changes = []
        for message in connection.execute(claim, {"limit": limit}):
            if message.channel == "sms" and optout.suppressed(
                    uow, message.recipient, legally_required=optout.legally_required_kind(message.kind)):
                # Asked at send time: the number may have opted out since this was queued.
                changes.append({"message_id": message.id, "attempts": message.attempts, "status": SUPPRESSED,
                                "provider_id": message.provider_id, "last_error": message.last_error,
                                "sealed_secrets": None, "sent_at": message.sent_at})
                continue
            gateway = platform.gateways.get(message.channel)
            change = {"message_id": message.id, "attempts": message.attempts + 1, "status": message.status,
                      "provider_id": message.provider_id, "last_error": message.last_error,
                      "sealed_secrets": message.sealed_secrets, "sent_at": message.sent_at}
            changes.append(change)
            try:
                if gateway is None:
                    raise RuntimeError(f"no gateway for {message.channel}")
                change["provider_id"] = gateway.send(Envelope(
                    message.channel, message.recipient, message.subject, _text_to_send(uow, message), f"msg-{message.id}"
                ))
            except Exception as exc:  # one bad message must not stop the others
                log.warning("outbox message %s failed: %s", message.id, exc)
                change["last_error"] = str(exc)[:300]
                if change["attempts"] >= MAX_ATTEMPTS:
                    change["status"] = "failed"
                    change["sealed_secrets"] = None  # given up: nobody will ever need this code
                DELIVERIES.labels(message.channel, "given_up" if change["status"] == "failed" else "failed").inc()
                continue
            DELIVERIES.labels(message.channel, "sent").inc()
            change["status"] = "sent"
            change["sent_at"] = uow.clock.now()
            change["sealed_secrets"] = None  # delivered: from now on the code exists only on the phone
            sent += 1
        if changes:
            connection.execute(_RECORD, changes)  # one statement for the batch
        if covered:
            queue.discard(covered, connection=connection)
        uow.commit()
    return sent


_TEXT_COLUMNS = TEXT_COLUMNS = ("channel", "kind", "recipient", "body", "locale", "customer_id", "created_at")
_QUEUE_TEXT = (insert(OutboxMessage.__table__)
               .values({name: bindparam(f"new_{name}") for name in _TEXT_COLUMNS})
               .values(status="pending", attempts=0))
_TEXT_ROWS = unnested(OutboxMessage.__table__, _TEXT_COLUMNS)
_QUEUE_TEXTS_POSTGRES = texts_insert(select(*(_TEXT_ROWS.c[name] for name in _TEXT_COLUMNS)))
# Prebuilt (Core rows, not ORM objects): this runs after every commit that queued a message.
_CLAIM = (select(OutboxMessage.__table__).where(OutboxMessage.status == "pending")
          .order_by(OutboxMessage.id).limit(bindparam("limit")))
_CLAIM_LOCKED = _CLAIM.with_for_update(skip_locked=True)  # two workers never take the same message
_RECORD = (update(OutboxMessage.__table__).where(OutboxMessage.id == bindparam("message_id"))
           .values({name: bindparam(name) for name in
                    ("attempts", "status", "provider_id", "last_error", "sealed_secrets", "sent_at")}))


def _text_to_send(uow: "UnitOfWork", message: OutboxMessage) -> str:
    if not message.sealed_secrets:
        return message.body
    secrets = json.loads(uow.keyring.decrypt(message.sealed_secrets, context=SECRETS_CONTEXT))
    return _PLACEHOLDER.sub(lambda match: secrets.get(match[1], match[0]), message.body)
