"""The SMS channel's own rows, by prebuilt statements on the connection (every message runs
them): the inbound message kept once by its id, its reply written onto it, and the sender
found as a verified mobile bound to a customer. One message at a time or a batch at once."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Text, bindparam, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from iaas.bulk_rows import DIALECTS, arrays_of, one_of, unnested
from paas.customers.models import Customer
from paas.i18n import DEFAULT_LOCALE, supported
from paas.messaging import outbox
from paas.messaging.inbound import InboundSms
from paas.messaging.sms_models import InboundSms as InboundRecord
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

LIMITED = "LIMITED"  # the command a record has until it is answered: over the limit, it stays so
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CODE_LIKE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")
# What no database column can keep (NUL on PostgreSQL, a lone surrogate anywhere) and nothing
# needs: kept as the replacement character, as a phone shows what it cannot render.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

_SENDER_COLUMNS = (Account.id, Account.display_name, Account.locale, Account.customer_id)
_VERIFIED = (Account.is_active, Account.role.is_(None))
_SENDER = (select(*_SENDER_COLUMNS).join(Customer, Customer.id == Account.customer_id)
           .where(Account.mobile == bindparam("mobile"), Customer.mobile == bindparam("mobile"), *_VERIFIED))
_SENDERS = {dialect: select(Account.mobile, *_SENDER_COLUMNS).join(Customer, Customer.id == Account.customer_id)
            .where(one_of(Account.mobile, "mobiles", dialect), Customer.mobile == Account.mobile, *_VERIFIED)
            for dialect in DIALECTS}
_INBOUND = INBOUND = InboundRecord.__table__
_CLAIM_ID = {dialect: (insert(_INBOUND).values({c: bindparam(f"new_{c}") for c in (
                 "inbound_id", "source", "sender", "recipient", "body", "command", "reply_locale", "received_at")})
                 .on_conflict_do_nothing(index_elements=[_INBOUND.c.inbound_id])
                 .returning(_INBOUND.c.id, _INBOUND.c.inbound_id))
             for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))}
_KEPT_COLUMNS = KEPT_COLUMNS = ("inbound_id", "source", "sender", "recipient", "body", "command", "reply_locale",
                                "received_at")
_KEEP_ROWS = unnested(_INBOUND, _KEPT_COLUMNS)
_KEEP_MANY_PG = (postgresql.insert(_INBOUND).from_select(_KEPT_COLUMNS, select(*(_KEEP_ROWS.c[c] for c in _KEPT_COLUMNS)))
                 .on_conflict_do_nothing(index_elements=[_INBOUND.c.inbound_id])
                 .returning(_INBOUND.c.id, _INBOUND.c.inbound_id))
_ANSWER_COLUMNS = ("id", "command", "customer_id", "reply_locale", "reply")
_ANSWER_ROWS = unnested(_INBOUND, _ANSWER_COLUMNS)
_ANSWERED_MANY_PG = (update(_INBOUND).where(_INBOUND.c.id == _ANSWER_ROWS.c.id)
                     .values({c: _ANSWER_ROWS.c[c] for c in _ANSWER_COLUMNS[1:]}))
_ANSWERED = (update(_INBOUND).where(_INBOUND.c.id == bindparam("record_id"))
             .values(command=bindparam("answered_command"), customer_id=bindparam("answered_customer_id"),
                     reply_locale=bindparam("answered_locale"), reply=bindparam("answered_reply")))
_STILL_THERE = select(_INBOUND.c.id).where(_INBOUND.c.id == bindparam("record_id"))
REPLY_KIND = "sms_reply"  # the outbox's kind of a reply
# Each reply written onto its record and queued to its sender, one statement on PostgreSQL:
# the records' update is a CTE of the outbox's insert.
_REPLY_COLUMNS = ("id", "command", "customer_id", "reply_locale", "reply", "recipient")
_REPLIES = select(*unnested(_INBOUND, _REPLY_COLUMNS, types={"recipient": Text()}).c).cte("replies")
_WRITE_REPLIES = (update(_INBOUND).where(_INBOUND.c.id == _REPLIES.c.id)
                  .values({c: _REPLIES.c[c] for c in _REPLY_COLUMNS[1:5]}).cte("answered"))
_ANSWER_AND_QUEUE_PG = outbox.texts_insert(
    select(literal("sms"), literal(REPLY_KIND), _REPLIES.c.recipient, _REPLIES.c.reply, _REPLIES.c.reply_locale,
           _REPLIES.c.customer_id, bindparam("queued_at", type_=outbox.OutboxMessage.__table__.c.created_at.type))
).add_cte(_WRITE_REPLIES)


def storable(text: str | None, limit: int) -> str:
    return _UNSTORABLE.sub("\ufffd", (text or "")[:limit])


def typed_locale(body: str) -> str:
    return "zh" if _CJK.search(body or "") else "en"


def record_values(sms: InboundSms, mobile: str, now: datetime) -> dict:
    """The record kept of ``sms`` (``KEPT_COLUMNS``): a code in it masked, unanswered for now."""
    return {"inbound_id": storable(sms.inbound_id, 100), "source": sms.source[:8], "sender": mobile[:32],
            "recipient": storable(sms.recipient, 32) or None,
            "body": _CODE_LIKE.sub("••••••", storable(sms.body, 1600)), "command": LIMITED,
            "reply_locale": typed_locale(sms.body), "received_at": now}


def _new_record(sms: InboundSms, mobile: str, now: datetime) -> dict:
    return {f"new_{name}": value for name, value in record_values(sms, mobile, now).items()}


def keep(uow: "UnitOfWork", sms: InboundSms, mobile: str) -> int | None:
    """Keep the message (a code in it masked), unanswered for now: its record's id, or None
    when it was kept before (or a second delivery racing this one got there first: on
    PostgreSQL this waits for that one's commit, then finds it)."""
    connection = uow.session.connection()
    row = connection.execute(_CLAIM_ID[connection.dialect.name], _new_record(sms, mobile, uow.clock.now())).first()
    return row.id if row is not None else None


def keep_many(uow: "UnitOfWork", messages: Sequence[tuple[InboundSms, str]]) -> list[int | None]:
    """``keep`` for (message, sender) pairs with distinct ids, in one statement."""
    connection = uow.session.connection()
    now = uow.clock.now()
    rows = [_new_record(sms, mobile, now) for sms, mobile in messages]
    # Inserted in the order of their ids (unnest yields the arrays' elements in order): two
    # overlapping batches (a redelivery) then wait for each other instead of deadlocking.
    in_order = sorted(rows, key=lambda row: row["new_inbound_id"])
    if connection.dialect.name == "postgresql":
        result = connection.execute(_KEEP_MANY_PG, {f"rows_{c}": [row[f"new_{c}"] for row in in_order]
                                                     for c in _KEPT_COLUMNS})
    else:
        result = connection.execute(_CLAIM_ID[connection.dialect.name], in_order)
    kept = {row.inbound_id: row.id for row in result}
    return [kept.get(row["new_inbound_id"]) for row in rows]


def still_there(uow: "UnitOfWork", record_id: int) -> bool:
    return uow.session.connection().execute(_STILL_THERE, {"record_id": record_id}).first() is not None


def answered(uow: "UnitOfWork", replies: Sequence[dict]) -> None:
    """Write each reply onto its record: dicts of record_id, command, customer_id, locale, reply."""
    if not replies:
        return
    connection = uow.session.connection()
    if len(replies) > 1 and connection.dialect.name == "postgresql":
        connection.execute(_ANSWERED_MANY_PG, arrays_of([{
            "id": r["record_id"], "command": r["command"][:16], "customer_id": r["customer_id"],
            "reply_locale": r["locale"], "reply": r["reply"]} for r in replies], _ANSWER_COLUMNS))
        return
    rows = [{"record_id": r["record_id"], "answered_command": r["command"][:16],
             "answered_customer_id": r["customer_id"], "answered_locale": r["locale"], "answered_reply": r["reply"]}
            for r in replies]
    connection.execute(_ANSWERED, rows[0] if len(rows) == 1 else rows)


def answered_and_queued(uow: "UnitOfWork", replies: Sequence[dict]) -> None:
    """``answered``, and each reply queued in the outbox to its sender (``recipient``), to be
    delivered once this transaction commits (``outbox.queue_texts``); on PostgreSQL in one
    statement."""
    if not replies:
        return
    if uow.session.connection().dialect.name == "postgresql":
        outbox.queue_texts_by(uow, _ANSWER_AND_QUEUE_PG, {"queued_at": uow.clock.now(), **arrays_of([{
            "id": r["record_id"], "command": r["command"][:16], "customer_id": r["customer_id"],
            "reply_locale": r["locale"], "reply": r["reply"], "recipient": r["recipient"]} for r in replies],
            _REPLY_COLUMNS)})
        return
    answered(uow, replies)
    outbox.queue_texts(uow, [outbox.TextMessage("sms", REPLY_KIND, r["recipient"], r["reply"], r["locale"],
                                                r["customer_id"]) for r in replies])


def _principal(row) -> Principal:
    return Principal(row.id, row.display_name, supported(row.locale) or DEFAULT_LOCALE, customer_id=row.customer_id)


def verified_senders():
    """Every verified mobile (``sender``'s condition) with its account: mobile, account_id,
    display_name, locale, customer_id; for a batch's statement to join its senders to."""
    return (select(Account.mobile, Account.id.label("account_id"), Account.display_name, Account.locale,
                   Account.customer_id)
            .join(Customer, Customer.id == Account.customer_id).where(Customer.mobile == Account.mobile, *_VERIFIED))


def sender_of(account_id: int, display_name: str, locale: str | None, customer_id: int) -> Principal:
    """The ``sender`` found as a row of ``verified_senders``."""
    return Principal(account_id, display_name, supported(locale) or DEFAULT_LOCALE, customer_id=customer_id)


def sender(uow: "UnitOfWork", mobile: str) -> Principal | None:
    """The customer whose verified mobile this is: the number their online-service account was
    opened with (proved by a code then) and still the mobile on file."""
    row = uow.session.connection().execute(_SENDER, {"mobile": mobile}).first()
    return _principal(row) if row is not None else None


def senders(uow: "UnitOfWork", mobiles: set[str]) -> dict[str, Principal]:
    """``sender`` for several numbers in one query: number -> customer (numbers of nobody absent)."""
    if not mobiles:
        return {}
    found: dict[str, Principal] = {}
    connection = uow.session.connection()
    for row in connection.execute(_SENDERS[connection.dialect.name], {"mobiles": sorted(mobiles)}):
        found.setdefault(row.mobile, _principal(row))
    return found
