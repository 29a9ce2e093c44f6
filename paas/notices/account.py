"""Account notices (every security alert: contact or bank account changed or removed, new
device, password reset or changed, payout held, money paid out, payee changed, money freeze,
authenticator, online service closed, sign-in paused): short, SMS / e-mail only, with no policy
event behind them. The security rules make them
(``paas.security.alerts``) in the transaction of the change; each is signed like every notice,
kept in the customer's inbox and checkable on /verify.

Its deliveries go to the recipients the rule names - for a change of contact the contacts on
file BEFORE it, never only the new ones - not to those on file when it is sent, and by every
channel, whatever the preference or the SMS opt-out (``NoticeType.security``). The words are
the rule's own (what happened, and "Not you? Call 95500 or freeze ..."), with the inbox link;
the outbox carries them after the commit under the alert's kind (``alert_*``, which the opt-out
lets through), so nothing leaves if the change rolls back. One delivery row per notice and
channel (unique), handed to the outbox only when it is new: a notice never goes twice by one."""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import String, bindparam, cast, insert, literal, select, true

from iaas.bulk_rows import arrays_of, unnested
from iaas.database import DirectStatement
from paas.i18n import DEFAULT_LOCALE, supported, translate
from paas.messaging import outbox
from paas.messaging.models import OutboxMessage
from paas.notices import document
from paas.notices.delivery import READ_IT, SENT, inbox_url
from paas.notices.models import Notice, NoticeDelivery
from paas.notices.preferences import EMAIL, SMS
from paas.notices.types import notice_type

if TYPE_CHECKING:
    from paas.customers.models import Customer
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Wording:
    """What the rule says, already in the notice's language."""

    kind: str  # the outbox kind, "alert_<name>"
    body: str
    subject: str


def account_number() -> str:
    """An account notice has no event to be numbered by: a random number (its code is the key)."""
    return f"A{secrets.randbelow(10 ** 11):011d}"


def record(uow: "UnitOfWork", customer: "Customer", type_code: str, fields: Mapping[str, object], *,
           language: str, on: date, recipients: Mapping[str, str | None], wording: Wording) -> int:
    """Sign and store the notice, plan its deliveries to ``recipients`` (channel -> address) and
    hand them to the outbox; returns the notice's id. Prebuilt Core statements, not ORM objects
    (every money movement makes one): the notice, then its outbox messages and its deliveries
    (already handed over, naming their message) in one more statement on PostgreSQL."""
    kind = notice_type(type_code)
    if kind.about_policy or not kind.security:
        raise ValueError(f"{type_code} is not an account notice")
    uow.require_transaction("an account notice")
    language = supported(language) or DEFAULT_LOCALE
    data = document.build(type_code, notice_number=account_number(), language=language, issued_on=on,
                          recipient_name=customer.name or customer.customer_number, policy_number=None, fields=fields)
    canonical = document.canonical_bytes(data)
    key_id, signature = uow.keyring.sign(canonical, purpose=document.PURPOSE)
    now = uow.clock.now()
    connection = uow.session.connection()
    notice = {
        "code": document.verification_code(signature), "customer_id": customer.id, "policy_id": None,
        "event_id": None, "notice_type": type_code, "locale": language, "issued_on": on, "canonical": canonical,
        "signature": signature, "key_id": key_id, "created_at": now}
    # The link names the notice's id, known once it is inserted: the texts are cut where it goes.
    link = translate(language, READ_IT, url=inbox_url(uow.platform.public_url, _ID_GOES_HERE))
    # One per channel with a recipient, none twice (the notice is new: no delivery can exist yet).
    messages = [{"channel": channel, "kind": wording.kind, "recipient": recipient, "locale": language,
                 "body": f"{wording.body} {link}" if channel == SMS else f"{wording.body}\n\n{link}",
                 "subject": wording.subject if channel == EMAIL else None, "customer_id": customer.id,
                 "created_at": now}
                for channel, recipient in recipients.items() if channel in (EMAIL, SMS) and recipient]
    if not messages:
        return connection.execute(_INSERT_NOTICE, notice).scalar_one()
    if connection.dialect.name == "postgresql" and all(m["body"].count(_ID_GOES_HERE) == 1 for m in messages):
        notice_id = _record_postgres(connection, notice, messages, now)
    else:
        notice_id = connection.execute(_INSERT_NOTICE, notice).scalar_one()
        for message in messages:
            message["body"] = message["body"].replace(_ID_GOES_HERE, str(notice_id))
        _hand_over(connection, notice_id, messages, now)
    # One delivery job however many messages the change queued (as ``outbox.queue`` does).
    uow.enqueue_job(outbox.DELIVER_JOB)
    return notice_id


_ID_GOES_HERE = "\x00notice-id\x00"  # cannot come from a translation or an address


def _record_postgres(connection, notice: dict, messages: list[dict], now) -> int:
    """The notice, its outbox messages (their texts naming its id) and its deliveries (handed
    over, naming their messages) in one round trip: a chain of data-modifying CTEs."""
    rows = [{**message, "body_before": before, "body_after": after}
            for message in messages for before, after in [message["body"].split(_ID_GOES_HERE)]]
    found = _RECORD_POSTGRES.rows(connection, {**{f"notice_{name}": value for name, value in notice.items()},
                                               **arrays_of(rows, _CUT_MESSAGE_COLUMNS), "now": now})
    return found[0][0] if found else None


def _hand_over(connection, notice_id: int, messages: list[dict], now) -> None:
    """The outbox messages and the notice's deliveries, each marked handed over to its message
    (the outbox sends it after the commit, and retries; the notices' deliverer must not)."""
    if connection.dialect.name == "postgresql":
        connection.execute(_HAND_OVER_POSTGRES, {**arrays_of(messages, _MESSAGE_COLUMNS), "notice_id": notice_id,
                                                 "now": now})
        return
    deliveries = []
    for message in messages:
        message_id = connection.execute(_INSERT_MESSAGE, message).scalar_one()
        deliveries.append({"notice_id": notice_id, "channel": message["channel"], "recipient": message["recipient"],
                           "status": SENT, "attempts": 0, "next_attempt_at": now, "sent_at": now,
                           "provider_id": f"outbox:{message_id}"})
    connection.execute(insert(_deliveries), deliveries)


_notices, _deliveries, _outbox = Notice.__table__, NoticeDelivery.__table__, OutboxMessage.__table__
_INSERT_NOTICE = insert(_notices).returning(_notices.c.id)
_MESSAGE_COLUMNS = ("channel", "kind", "recipient", "subject", "body", "locale", "customer_id", "created_at")
_INSERT_MESSAGE = insert(_outbox).values(status="pending", attempts=0).returning(_outbox.c.id)
_MESSAGE_ROWS = unnested(_outbox, _MESSAGE_COLUMNS)
# PostgreSQL: the messages and the deliveries that name them in one round trip (a
# data-modifying CTE), whatever their number (the rows come as arrays: one prepared statement).
_SENT = (insert(_outbox).from_select((*_MESSAGE_COLUMNS, "status", "attempts"),
                                     select(*(_MESSAGE_ROWS.c[name] for name in _MESSAGE_COLUMNS),
                                            literal("pending"), literal(0)))
         .returning(_outbox.c.id, _outbox.c.channel, _outbox.c.recipient).cte("sent"))
_HAND_OVER_POSTGRES = insert(_deliveries).from_select(
    ("notice_id", "channel", "recipient", "status", "attempts", "next_attempt_at", "sent_at", "provider_id"),
    select(bindparam("notice_id", type_=_deliveries.c.notice_id.type), _SENT.c.channel, _SENT.c.recipient,
           literal(SENT), literal(0), bindparam("now", type_=_deliveries.c.sent_at.type),
           bindparam("now", type_=_deliveries.c.sent_at.type),
           literal("outbox:") + cast(_SENT.c.id, String)))

# PostgreSQL: the notice, then its messages and its deliveries, as one statement.
_CUT_MESSAGE_COLUMNS = tuple(name for name in _MESSAGE_COLUMNS if name != "body") + ("body_before", "body_after")
_CUT_ROWS = unnested(_outbox, _CUT_MESSAGE_COLUMNS, types={"body_before": _outbox.c.body.type,
                                                           "body_after": _outbox.c.body.type})
_NOTICE_COLUMNS = ("code", "customer_id", "policy_id", "event_id", "notice_type", "locale", "issued_on", "canonical",
                   "signature", "key_id", "created_at")
# (Parameters named apart from the columns: SQLAlchemy would take one named as a column as a value.)
_NEW_NOTICE = (insert(_notices).values({name: bindparam(f"notice_{name}", type_=_notices.c[name].type)
                                        for name in _NOTICE_COLUMNS})
               .returning(_notices.c.id).cte("new_notice"))
_NAMED = (insert(_outbox).from_select(
    (*_MESSAGE_COLUMNS, "status", "attempts"),
    select(*(_CUT_ROWS.c[name] if name != "body"
             else _CUT_ROWS.c.body_before + cast(_NEW_NOTICE.c.id, String) + _CUT_ROWS.c.body_after
             for name in _MESSAGE_COLUMNS), literal("pending"), literal(0)).select_from(_CUT_ROWS).join(_NEW_NOTICE, true()))
    .returning(_outbox.c.id, _outbox.c.channel, _outbox.c.recipient).cte("named"))
_RECORD_POSTGRES = DirectStatement(insert(_deliveries).from_select(
    ("notice_id", "channel", "recipient", "status", "attempts", "next_attempt_at", "sent_at", "provider_id"),
    select(_NEW_NOTICE.c.id, _NAMED.c.channel, _NAMED.c.recipient, literal(SENT), literal(0),
           bindparam("now", type_=_deliveries.c.sent_at.type), bindparam("now", type_=_deliveries.c.sent_at.type),
           literal("outbox:") + cast(_NAMED.c.id, String)).select_from(_NAMED).join(_NEW_NOTICE, true()))
    .returning(_deliveries.c.notice_id).add_cte(_NEW_NOTICE).add_cte(_NAMED))  # a row per delivery, one notice
# (On the cursor: every money movement and contact change makes one.)
