"""Notices as records: made from events - one at a time in the transaction that raised the
event, or in bulk for the cycle's night - signed, stored with their deliveries planned. The
letter itself (HTML, PDF) is rendered only when it is delivered or viewed.

A notice is the canonical data as signed (``paas.notices.document``), its signature, key id
and verification code; one per event (``notices.event_id`` is unique), so a rerun makes none twice."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, bindparam, insert, literal, select, true
from sqlalchemy.dialects import postgresql

from iaas.bulk_rows import unnested
from iaas.database import DirectStatement

from paas.customers.models import Customer
from paas.notices.bulk_insert import among, copy_new_by
from paas.notices.event_kinds import KINDS
from paas.notices.from_events import EventFacts
from paas.notices.models import Notice, NoticeDelivery, NoticePreference, PolicyEvent
from paas.notices.planning import CONTACT, Contact, NewNotice, plan_deliveries, planned_without_choices
from paas.notices.signing import EVENT_ID, NOTICE_COLUMNS, NOTICE_TYPE, chunk_builder, workers_for
from paas.policies.models import Policy
from paas.products.models import Product
from paas.security.models import Account

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from iaas.keyring import KeyRing
    from paas.unit_of_work import UnitOfWork

CHUNK = 5000
NOTICE_KINDS = tuple(name for name, kind in KINDS.items() if kind.notice is not None)


def _pending_query(*where: ColumnElement[bool]):
    """The ids of the events matching ``where`` that make a notice and have none yet."""
    return (select(PolicyEvent.id)
            .join(Policy, Policy.id == PolicyEvent.policy_id)
            .outerjoin(Notice, Notice.event_id == PolicyEvent.id)
            .where(Notice.id.is_(None), PolicyEvent.type.in_(NOTICE_KINDS), *where)
            .order_by(PolicyEvent.id))


@lru_cache(maxsize=4)
def _facts_query(dialect: str):
    """Built once per dialect (a change makes its notice at every commit); the events' ids
    come as the parameter ``event_ids``."""
    events = PolicyEvent.__table__
    return _facts_of(events).where(among(dialect, events.c.id, "event_ids"))


def _facts_of(events):
    """The facts of the events of ``events`` (the table, or a CTE of rows just inserted into it)."""
    locale = (select(Account.locale).where(Account.customer_id == Customer.id).limit(1).scalar_subquery())
    return (select(events.c.id, events.c.type, events.c.reference, events.c.event_date, events.c.detail,
                   Policy.id, Policy.policy_number, Policy.sum_assured, Policy.modal_premium, Policy.premium_mode,
                   Policy.issue_date, Product.name_zh, Product.name_en, Customer.id, Customer.name, locale,
                   *CONTACT[1:])
            .select_from(events)
            .join(Policy, Policy.id == events.c.policy_id)
            .join(Product, Product.id == Policy.product_id)
            .join(Customer, Customer.id == Policy.owner_id))


@lru_cache(maxsize=1)
def _bulk_facts_query():
    """The same facts for the night's hundred thousand events (PostgreSQL, the ids as
    ``event_ids``): the owner's sign-in account joined (``accounts.customer_id`` is unique, so
    the same locale as the subquery's) and whether they made a per-type choice as one hashed
    ``IN`` over the choices, instead of two subqueries run for every row. A change's own notice
    keeps ``_facts_of``: for one event the subqueries are two index look-ups, where the hash
    would read every choice on file."""
    events = PolicyEvent.__table__
    has_choices = Customer.id.in_(select(NoticePreference.customer_id)).label("has_choices")
    return (select(events.c.id, events.c.type, events.c.reference, events.c.event_date, events.c.detail,
                   Policy.id, Policy.policy_number, Policy.sum_assured, Policy.modal_premium, Policy.premium_mode,
                   Policy.issue_date, Product.name_zh, Product.name_en, Customer.id, Customer.name, Account.locale,
                   *CONTACT[1:-1], has_choices)
            .select_from(events)
            .join(Policy, Policy.id == events.c.policy_id)
            .join(Product, Product.id == Policy.product_id)
            .join(Customer, Customer.id == Policy.owner_id)
            .outerjoin(Account, Account.customer_id == Customer.id)
            .where(among("postgresql", events.c.id, "event_ids")))


@lru_cache(maxsize=8)
def _new_event_with_facts(columns: tuple[str, ...]):
    """PostgreSQL: the event inserted unless it was raised already, and its facts read from the
    inserted row, in one statement (a data-modifying CTE): no row when it was not new."""
    events = PolicyEvent.__table__
    new = (postgresql.insert(events).values({name: bindparam(f"event_{name}", type_=events.c[name].type)
                                             for name in columns})
           .on_conflict_do_nothing().returning(*events.c).cte("new_event"))
    return _facts_of(new)


@lru_cache(maxsize=8)
def _new_event_with_facts_beside(columns: tuple[str, ...], beside):
    """``_new_event_with_facts`` with the caller's own data-modifying CTEs in the same statement
    (``beside``: the CTEs, then the one-row CTE whose first column each row starts with): that
    value comes first in every row, and one row with it alone when the event was not new."""
    ctes, first = beside
    facts = _new_event_with_facts(columns).subquery("facts")
    statement = select(first.c[0], *facts.c).select_from(first).outerjoin(facts, true())
    for cte in ctes:
        statement = statement.add_cte(cte)
    return statement


FACTS = len(EventFacts._fields)  # the facts query's columns: the event's facts, then the contact's
CUSTOMER = EventFacts._fields.index("customer_id")


def _fact_chunks(session: "Session", pending: list[int]) -> Iterator[list[tuple]]:
    """The facts of the ``pending`` events in chunks of ``CHUNK``, each in event order. On
    PostgreSQL one query for them all, read through a server-side cursor while the chunks before
    are written (it does not look at ``notices``: a cursor's fast-start plan that anti-joined it
    re-scanned the table being written for every event, quadratic). Elsewhere (SQLite holds no
    server-side cursor) one query per slice of ids."""
    if not pending:
        return
    dialect = session.get_bind().dialect
    query = _facts_query(dialect.name)
    if dialect.name != "postgresql" or len(pending) <= CHUNK:
        for start in range(0, len(pending), CHUNK):
            yield sorted(tuple(values) for values in session.execute(query, {"event_ids": pending[start:start + CHUNK]}))
        return
    # psycopg's own server-side cursor, plain tuples: half the CPU of SQLAlchemy's rows (the
    # columns are ints, text, dates and numerics, which need no result processing).
    compiled = _bulk_facts_query().compile(dialect=dialect)
    raw = session.connection().connection.driver_connection
    with raw.cursor() as settings:
        # Planned for every row, not the first tenth (a cursor's default): hash joins, not a
        # fast-start nested loop (which, the accounts unanalysed, would scan them for each row).
        (usual,) = settings.execute("SELECT current_setting('cursor_tuple_fraction'), "
                                    "set_config('cursor_tuple_fraction', '1', true)").fetchone()[:1]
    with raw.cursor(name="notice_facts") as cursor:
        cursor.execute(str(compiled), compiled.construct_params({"event_ids": pending}))
        raw.execute("SELECT set_config('cursor_tuple_fraction', %s, true)", (usual,))
        while part := cursor.fetchmany(CHUNK):
            yield sorted(part)


def record_notices(session: "Session", keyring: "KeyRing", now, *where: ColumnElement[bool]) -> list[int]:
    """Make the notices of the events matching ``where`` that have none; returns their ids.
    First the ids of those events (one query, index-sized rows), then one query for their facts
    (policy, product, owner, contact columns), streamed; per chunk of them one COPY of their
    notices, one of their deliveries. (Chunks by LIMIT over the whole join made PostgreSQL join
    every remaining event for each chunk when the night's events had no statistics yet:
    quadratic; chunks by ``id = ANY`` hash-joined the whole policies table for each.) An event
    another transaction gave a notice meanwhile is skipped by the notices' unique event id
    (``copy_new_by``).

    A large batch is built and signed in worker processes (``paas.notices.signing``), as many
    chunks ahead as there are workers, while this process writes the chunks already signed."""
    return _make_notices(session, keyring, now, list(session.scalars(_pending_query(*where))))


def _make_notices(session: "Session", keyring: "KeyRing", now, pending: list[int],
                  read: Iterable[list[tuple]] | None = None) -> list[int]:
    """The notices of the events ``pending`` (ids of events that make one), in chunks (``read``:
    their facts' chunks when the caller has them already)."""
    workers = workers_for(len(pending))
    made: list[int] = []
    in_hand: deque = deque()
    with chunk_builder(keyring, now, workers) as build:
        for facts in read if read is not None else _fact_chunks(session, pending):
            contacts = {values[0]: Contact(values[CUSTOMER], *values[FACTS:]) for values in facts}
            in_hand.append((build([values[:FACTS] for values in facts]), contacts))
            if len(in_hand) > workers:
                made += _store(session, *in_hand.popleft(), now)
        while in_hand:
            made += _store(session, *in_hand.popleft(), now)
    return made


def _store(session: "Session", built, contacts: dict, now) -> list[int]:
    rows = built.result()
    if len(rows) == 1 and session.get_bind().dialect.name == "postgresql":
        (row,) = rows
        planned = planned_without_choices(row[NOTICE_TYPE], contacts[row[EVENT_ID]])
        if planned is not None:  # a change's own notice, most often: with its deliveries in one statement
            return _store_one_with_deliveries(session, dict(zip(NOTICE_COLUMNS, row)), planned, now)
    new = copy_new_by(session, Notice, NOTICE_COLUMNS, rows, "event_id")
    plan_deliveries(session, [NewNotice(new[row[EVENT_ID]], row[NOTICE_TYPE], contacts[row[EVENT_ID]])
                              for row in rows if row[EVENT_ID] in new], now)
    return sorted(new.values())


def _store_one_with_deliveries(session: "Session", row: dict, planned: list, now) -> list[int]:
    """One notice and its planned deliveries by one statement (a data-modifying CTE), skipped
    together if the event has its notice already (another transaction made it meanwhile)."""
    made = DirectStatement.kept(_one_with_deliveries(tuple(row))).in_session(session, {
        **{f"notice_{name}": value for name, value in row.items()},
        "rows_channel": [channel for channel, _ in planned], "rows_recipient": [to for _, to in planned],
        "planned_at": now})
    return sorted(notice_id for notice_id, in made)


@lru_cache(maxsize=8)
def _one_with_deliveries(columns: tuple[str, ...]):
    notices, deliveries = Notice.__table__, NoticeDelivery.__table__
    new = (postgresql.insert(notices).values({name: bindparam(f"notice_{name}", type_=notices.c[name].type)
                                              for name in columns})
           .on_conflict_do_nothing().returning(notices.c.id).cte("new_notice"))
    planned = unnested(deliveries, ("channel", "recipient"))
    deliveries_of_it = insert(deliveries).from_select(
        ("notice_id", "channel", "recipient", "status", "attempts", "next_attempt_at"),
        select(new.c.id, planned.c.channel, planned.c.recipient, literal("pending"), literal(0),
               bindparam("planned_at", type_=deliveries.c.next_attempt_at.type))
        .select_from(new).join(planned, true())).cte("new_deliveries")
    return select(new.c.id).add_cte(deliveries_of_it)


def raise_with_notice(uow: "UnitOfWork", values: dict, *, beside=None, beside_params: dict | None = None):
    """PostgreSQL: insert the event of ``values`` (its columns) unless it was raised already,
    and make its notice as ``notice_for_event`` does - the event and its notice's facts in one
    round trip. Returns the new event's id (None: not new, no notice). ``beside``: the caller's
    data-modifying CTEs sent in the same statement (``_new_event_with_facts_beside``, its
    parameters ``beside_params``): then (the event's id or None, the value they returned)."""
    session = uow.session
    session.flush()  # the event refers to the policy, which may be pending
    params = {f"event_{name}": value for name, value in values.items()}
    if beside is None:
        return _with_notice(uow, DirectStatement.kept(_new_event_with_facts(tuple(values))).in_session(session, params))
    rows = DirectStatement.kept(_new_event_with_facts_beside(tuple(values), beside)).in_session(
        session, {**params, **beside_params})
    facts = [row[1:] for row in rows if row[1] is not None]  # the facts' first column: the event's id
    return _with_notice(uow, facts), rows[0][0]


def _with_notice(uow: "UnitOfWork", facts: list[tuple]) -> int | None:
    if not facts:
        return None
    session = uow.session
    event_id = facts[0][0]
    made = _make_notices(session, uow.keyring, uow.clock.now(), [event_id], [facts])
    if made:
        from paas.notices.delivery import deliver_after_commit

        deliver_after_commit(uow, made)
    return event_id


def notice_for_event(uow: "UnitOfWork", event_id: int) -> int | None:
    """The notice of one event just raised (in its transaction), delivered after the commit.
    The event is this transaction's own, of a kind that makes a notice: it cannot have one
    yet, so the look for events without one is skipped."""
    made = _make_notices(uow.session, uow.keyring, uow.clock.now(), [event_id])
    if made:
        from paas.notices.delivery import deliver_after_commit

        deliver_after_commit(uow, made)
    return made[0] if made else None


def notices_for_policies(uow: "UnitOfWork", policy_ids: Iterable[ColumnElement[bool]], on) -> list[int]:
    """The cycle's step: notices of the night's events for a batch of policies (``policy_ids``:
    the batch's WHERE conditions on the policies table)."""
    return record_notices(uow.session, uow.keyring, uow.clock.now(), PolicyEvent.event_date == on, *policy_ids)
