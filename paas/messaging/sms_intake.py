"""A batch of inbound SMS taken in: each message kept once by its id, counted against its
number's limit, and its sender found as a verified mobile. On PostgreSQL that is one
statement (the insert and the count are data-modifying CTEs of the senders' query, so only
the messages kept are counted); on SQLite the three statements of ``sms_records.keep_many``,
``sms_limit.count_messages`` and ``sms_records.senders`` (for one message, their one-row
forms). ``channel.answer`` takes its one message in by it too.

Locks are taken in one order by every batch: the records in the order of their ids, then the
counters in the order of their keys. Two batches of one number, or one batch delivered twice,
wait for each other and never deadlock; a message whose id another batch is inserting waits
for that one's end, and is then not kept (nor counted) here."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Text, func, select
from sqlalchemy.dialects import postgresql

from iaas.bulk_rows import arrays_of, unnested
from iaas.ratelimit import counter_names, settle_many_on, window_seconds
from iaas.ratelimit.database import WINDOW_ENDS_AT, counting_params, counting_upsert, purge_now_and_then_on
from paas.messaging import sms_records as records
from paas.messaging.inbound import InboundSms
from paas.messaging.sms_limit import LIMIT, PREFIX, count_message, count_messages
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Taken:
    record_id: int
    within_limit: bool  # else its record stays unanswered (LIMITED), and it gets no reply
    principal: Principal | None  # the customer whose verified mobile sent it, or nobody


def take_in(uow: "UnitOfWork", messages: Sequence[tuple[InboundSms, str]]) -> list[Taken | None]:
    """For (message, sender) pairs with distinct ids, in order: None for a message kept before;
    else its record, whether it is within its number's limit (the first ones of a number are,
    in this order) and its sender."""
    if not messages:
        return []
    connection = uow.session.connection()
    if connection.dialect.name == "postgresql":
        record_ids, allowed, principals = _take_in_postgres(uow, messages)
    elif len(messages) == 1:  # one at a time: each statement's one-row form
        (sms, mobile), = messages
        record_id = records.keep(uow, sms, mobile)
        if record_id is None:
            return [None]
        within = count_message(uow, mobile)
        return [Taken(record_id, within, records.sender(uow, mobile) if within else None)]
    else:
        record_ids = records.keep_many(uow, messages)
        allowed = count_messages(uow, Counter(mobile for (_sms, mobile), record_id in zip(messages, record_ids)
                                              if record_id is not None))
        principals = records.senders(uow, {mobile for (_sms, mobile), record_id in zip(messages, record_ids)
                                           if record_id is not None and allowed[mobile] > 0})
    taken: list[Taken | None] = []
    for (_sms, mobile), record_id in zip(messages, record_ids):
        if record_id is None:
            taken.append(None)
            continue
        within = allowed[mobile] > 0
        if within:
            allowed[mobile] -= 1
        taken.append(Taken(record_id, within, principals.get(mobile)))
    return taken


_COLUMNS = (*records.KEPT_COLUMNS, "mobile", "counter_key")
# The sender's number uncut (a Text array: a VARCHAR(n) cast would cut it) and its counter's key.
_INCOMING = select(*unnested(records.INBOUND, _COLUMNS, types={"mobile": Text(), "counter_key": Text()}).c).cte("incoming")
_KEPT = (postgresql.insert(records.INBOUND)
         .from_select(records.KEPT_COLUMNS, select(*(_INCOMING.c[c] for c in records.KEPT_COLUMNS))
                      .order_by(_INCOMING.c.inbound_id))
         .on_conflict_do_nothing(index_elements=[records.INBOUND.c.inbound_id])
         .returning(records.INBOUND.c.id, records.INBOUND.c.inbound_id)).cte("kept")
# Only what was kept is counted: a redelivered message (kept before) does not count again.
_COUNTED = counting_upsert(
    select(_INCOMING.c.counter_key, func.count(), WINDOW_ENDS_AT)
    .select_from(_KEPT.join(_INCOMING, _INCOMING.c.inbound_id == _KEPT.c.inbound_id))
    .group_by(_INCOMING.c.counter_key).order_by(_INCOMING.c.counter_key)).cte("counted")
_SENDERS = records.verified_senders().subquery("verified")
_TAKE_IN_POSTGRES = (
    select(_KEPT.c.id, _KEPT.c.inbound_id, _INCOMING.c.counter_key, _COUNTED.c.count, _SENDERS.c.account_id,
           _SENDERS.c.display_name, _SENDERS.c.locale, _SENDERS.c.customer_id)
    .select_from(_KEPT.join(_INCOMING, _INCOMING.c.inbound_id == _KEPT.c.inbound_id)
                 .join(_COUNTED, _COUNTED.c.key == _INCOMING.c.counter_key)
                 .outerjoin(_SENDERS, _SENDERS.c.mobile == _INCOMING.c.mobile)))


def _take_in_postgres(uow: "UnitOfWork", messages: Sequence[tuple[InboundSms, str]]):
    """(record id or None of each message, number -> how many of its kept messages are within
    the limit, number -> its verified customer)."""
    connection = uow.session.connection()
    now = uow.clock.now()
    names = counter_names(LIMIT, PREFIX, {mobile for _sms, mobile in messages})
    rows = [{**records.record_values(sms, mobile, now), "mobile": mobile, "counter_key": names[mobile]}
            for sms, mobile in messages]
    params = counting_params(window_seconds(LIMIT))
    in_order = sorted(rows, key=lambda row: row["inbound_id"])  # the records locked in one order
    found = {row.inbound_id: row for row in connection.execute(_TAKE_IN_POSTGRES, {
        **params, **arrays_of(in_order, _COLUMNS)})}
    hits = Counter(row.counter_key for row in found.values())
    allowed = settle_many_on(connection, LIMIT, hits, {row.counter_key: row.count for row in found.values()})
    purge_now_and_then_on(connection, params["now"])
    record_ids, within, principals = [], {}, {}
    for (_sms, mobile), row in zip(messages, rows):
        kept = found.get(row["inbound_id"])
        record_ids.append(kept.id if kept is not None else None)
        if kept is not None:
            within[mobile] = allowed[kept.counter_key]
            if kept.account_id is not None:
                principals[mobile] = records.sender_of(kept.account_id, kept.display_name, kept.locale,
                                                       kept.customer_id)
    return record_ids, within, principals
