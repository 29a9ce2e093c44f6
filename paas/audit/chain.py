"""Appending to and verifying the hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so changing, removing
or reordering any entry breaks every link after it; the head row catches a cut-off tail.
The link is keyed - HMAC-SHA256 under a MAC key of the key ring, whose id the entry stores -
so whoever can write the table but lacks the key cannot recompute the links after an edit.
What someone holding the key (or cutting the tail and the head together) could still do is
caught by the signed checkpoints of the head (``paas.audit.checkpoints``)."""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from functools import lru_cache

from sqlalchemy import String, Table, bindparam, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from iaas.database import DirectStatement
from paas.audit.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from iaas.keyring import KeyRing
    from paas.unit_of_work import UnitOfWork

GENESIS_HASH = "0" * 64
HEAD_ID = 1
MAC_PURPOSE = "audit.chain"


@dataclass(frozen=True)
class Actor:
    type: str  # customer / staff / system
    id: int | None
    label: str


SYSTEM = Actor("system", None, "system")


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _fields(entry: AuditEntry, prev_hash: str) -> list[Any]:
    return [
        entry.seq,
        entry.occurred_at.isoformat(),
        entry.actor_type,
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.subject,
        entry.detail,
        entry.address,
        prev_hash,
    ]


def legacy_hash(entry: AuditEntry, prev_hash: str) -> str:
    """The plain SHA-256 link of entries written before links were keyed (no key id)."""
    return hashlib.sha256(canonical_json(_fields(entry, prev_hash)).encode("utf-8")).hexdigest()


def entry_hash(keyring: "KeyRing", entry: AuditEntry, prev_hash: str) -> str:
    """The keyed link under the entry's own key id (which it covers, so it cannot be swapped)."""
    assert entry.key_id is not None
    message = canonical_json([*_fields(entry, prev_hash), entry.key_id]).encode("utf-8")
    return keyring.mac_with(entry.key_id, message, purpose=MAC_PURPOSE)


def record(
    uow: "UnitOfWork",
    actor: Actor,
    action: str,
    *,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
) -> AuditEntry:
    """Add one entry to the caller's transaction. It is chained when the transaction commits
    (``append_pending``), so the head row - one lock that orders every writer - is held only
    for the last moment of a transaction, not for all of it."""
    uow.require_transaction("the audit log")
    entry = AuditEntry(
        occurred_at=uow.clock.now(),
        actor_type=actor.type,
        actor_id=actor.id,
        actor_label=actor.label[:120],
        action=action,
        subject=subject,
        detail=canonical_json(detail or {}),
        address=address,
    )
    uow.pending_audit.append(entry)
    return entry


def append_pending(session: Session, entries: list[AuditEntry], keyring: "KeyRing", *,
                   alongside: tuple[Table, list[dict]] | None = None, wake: str | None = None,
                   commit: bool = False) -> None:
    """Chain and insert the transaction's entries, after its other changes are flushed: taking
    the head row's lock orders concurrent writers, and it is released by the commit right after.
    One HMAC per entry, under the ring's active key. Written as plain rows (Core), not ORM
    objects: the entries are never changed afterwards. ``alongside``: other rows of the
    transaction to insert in the same statement (a table and its rows: the unit of work's jobs);
    ``wake``: a channel the head's statement notifies at the commit (the job queue's, PostgreSQL).
    ``commit``: on PostgreSQL, where the session's commit is the database's, the entries'
    statement and the COMMIT go in one round trip (a pipeline), and the caller's
    ``session.commit()`` then has nothing left to send. Every writer waits for the head, so
    how long one holds it bounds them all: from its statement to the commit, one answer to
    wait for instead of two (each also a wait for the interpreter's lock, in a process of
    many threads)."""
    if not entries:
        if alongside is not None:
            session.connection().execute(insert(alongside[0]), alongside[1])
        return
    params = {"head_id": HEAD_ID, "added": len(entries)}
    if wake is not None:
        params["channel"] = wake
    # The head's lock is held from here to the commit: as little of Python as can be in between.
    last_seq, prev_hash = (_TAKE_HEAD if wake is None else _TAKE_HEAD_AND_WAKE).rows(session.connection(), params)[0][:2]
    key_id = keyring.active_key_id
    for seq, entry in enumerate(entries, start=last_seq - len(entries) + 1):
        entry.seq, entry.prev_hash, entry.key_id = seq, prev_hash, key_id
        entry.hash = prev_hash = entry_hash(keyring, entry, prev_hash)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # The entries and the head's new hash in one round trip (a data-modifying CTE), sent
        # as compiled: the one type rule it skips (UtcDateTime's) is checked here.
        if any(entry.occurred_at.tzinfo is None for entry in entries):
            raise ValueError("refusing to store a naive datetime; use the clock")
        values = {f"{column}_{n}": getattr(entry, column) for n, entry in enumerate(entries) for column in _COLUMNS}
        other_table, other_rows = alongside if alongside is not None else (None, [])
        values.update({f"other_{column}_{n}": value for n, row in enumerate(other_rows) for column, value in row.items()})
        statement, params = _chain_sql(len(entries), other_table, _row_columns(other_rows)), {
            **values, "head_id": HEAD_ID, "head_hash": prev_hash}
        if commit and _commits_the_database(session, connection):
            _execute_and_commit(connection, statement, params)
        else:
            connection.exec_driver_sql(statement, params)
    else:
        connection.execute(insert(AuditEntry), [{column: getattr(entry, column) for column in _COLUMNS}
                                                for entry in entries])
        connection.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(hash=prev_hash))
        if alongside is not None:
            connection.execute(insert(alongside[0]), alongside[1])


def _commits_the_database(session: Session, connection) -> bool:
    """Whether the session's commit is the database's: it holds a connection of its own (bound
    to an engine) and is in no savepoint. A session joined to a transaction begun outside it
    (the tests' rolled-back one) only releases a savepoint at its commit."""
    return isinstance(session.get_bind(), Engine) and not connection.in_nested_transaction()


def _execute_and_commit(connection, statement: str, params: dict) -> None:
    """The statement and the COMMIT in one psycopg pipeline; a failure is raised as SQLAlchemy
    raises it (an IntegrityError is one), the transaction left to the caller's rollback (which
    also drops a connection that was lost from the pool)."""
    import psycopg as driver

    raw = connection.connection.driver_connection
    try:
        with raw.pipeline():
            raw.execute(statement, params)
            raw.commit()
    except driver.Error as error:
        raise DBAPIError.instance(statement, params, error, driver.Error, dialect=connection.dialect) from error


_COLUMNS = tuple(column.key for column in AuditEntry.__table__.columns)
# The head moved on by the entries (its row lock orders the writers), built once; with the job
# queue's wake-up riding in it (pg_notify is sent at the commit, and only if it commits).
# On the cursor (DirectStatement): as the ORM's UPDATE it also looked for head objects in the
# session to update, before and after, while holding the lock.
_HEAD = AuditHead.__table__
_TAKE_HEAD_STATEMENT = (update(_HEAD).where(_HEAD.c.id == bindparam("head_id"))
                        .values(seq=_HEAD.c.seq + bindparam("added", type_=_HEAD.c.seq.type))
                        .returning(_HEAD.c.seq, _HEAD.c.hash))
_TAKE_HEAD = DirectStatement(_TAKE_HEAD_STATEMENT)
_TAKE_HEAD_AND_WAKE = DirectStatement(
    _TAKE_HEAD_STATEMENT.returning(func.pg_notify(bindparam("channel", type_=String), literal(""))))


def _row_columns(rows: list[dict]) -> tuple[tuple[str, ...], ...]:
    """Each row's columns, in order (the shape the statement is compiled for)."""
    return tuple(tuple(row) for row in rows)


@lru_cache(maxsize=64)
def _chain_sql(count: int, other_table: Table | None = None, other_rows: tuple[tuple[str, ...], ...] = ()) -> str:
    """``count`` entries and the head's hash (and the rows of ``other_table``, each with the
    columns named) as one statement, compiled once per shape for psycopg (SQLAlchemy compiles a
    multi-row VALUES anew at every execution otherwise)."""
    rows = [{column: bindparam(f"{column}_{n}") for column in _COLUMNS} for n in range(count)]
    head = update(AuditHead).where(AuditHead.id == bindparam("head_id")).values(hash=bindparam("head_hash"))
    statement = insert(AuditEntry).values(rows).add_cte(head.cte("head"))
    if other_rows:
        others = [{column: bindparam(f"other_{column}_{n}", type_=other_table.c[column].type) for column in columns}
                  for n, columns in enumerate(other_rows)]
        statement = statement.add_cte(insert(other_table).values(others).cte("alongside"))
    return str(statement.compile(dialect=psycopg.dialect()))


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    first_broken_seq: int | None = None
    reason: str | None = None
    checkpoint_seq: int | None = None  # the latest signed checkpoint the chain was held to
    head_seq: int | None = None  # what was verified, when intact (a checkpoint signs this)
    head_hash: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


@dataclass(frozen=True)
class Anchor:
    """What a signed checkpoint vouches for: the chain's hash at ``seq``, and the last entry
    that may be unkeyed (legacy), when it was taken."""

    seq: int
    hash: str
    legacy_until: int
    label: str  # how the report names it (e.g. its time)


def verify(session: Session, keyring: "KeyRing", *, anchors: Sequence[Anchor] = (),
           start: Anchor | None = None, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and report the first entry that does not link up, or that
    differs from what a signed checkpoint recorded. From ``start`` (a checkpoint already
    checked) only the entries after it are walked.

    The head is read first and the walk stops at it: entries committed meanwhile are for the
    next run, not a broken tail."""
    the_head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)).one_or_none()
    if the_head is None:
        return ChainReport(0, 1, "the chain head is missing")
    head_seq, head_hash = the_head
    by_seq = {anchor.seq: anchor for anchor in anchors}
    latest = max(anchors, key=lambda anchor: anchor.seq, default=start)
    legacy_until = latest.legacy_until if latest is not None else None
    running_hash, expected_seq, keyed_seen, passed = GENESIS_HASH, 1, False, None
    if start is not None and start.seq:
        first = _read(session, select(AuditEntry).where(AuditEntry.seq == start.seq)).first()
        if first is None or first.hash != start.hash:
            return ChainReport(0, start.seq, f"differs from the signed checkpoint {start.label}", start.seq)
        running_hash, expected_seq, passed = start.hash, start.seq + 1, start
        keyed_seen = first.key_id is not None
    checked, anchored = 0, latest.seq if latest is not None else None
    rows = _read(session, select(AuditEntry).where(AuditEntry.seq >= expected_seq, AuditEntry.seq <= head_seq)
                 .order_by(AuditEntry.seq).execution_options(yield_per=batch_size))
    try:
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(checked, expected_seq, f"entry {expected_seq} is missing", anchored)
            broken = _broken_link(keyring, entry, running_hash, keyed_seen, legacy_until)
            if broken is None and entry.seq in by_seq and entry.hash != by_seq[entry.seq].hash:
                since = f"after entry {passed.seq}, " if passed is not None and passed.seq else ""
                broken = (f"differs from the signed checkpoint {by_seq[entry.seq].label}: an entry {since}"
                          f"at or before this one was rewritten")
            if broken is not None:
                return ChainReport(checked, entry.seq, broken, anchored)
            passed = by_seq.get(entry.seq, passed)
            keyed_seen = keyed_seen or entry.key_id is not None
            running_hash = entry.hash
            expected_seq += 1
            checked += 1
    finally:
        rows.close()  # a server-side cursor on PostgreSQL: release it even when stopping early
    last_seq = expected_seq - 1
    if latest is not None and last_seq < latest.seq:
        return ChainReport(checked, last_seq + 1, f"entries after {last_seq} were removed (the signed checkpoint "
                                                  f"{latest.label} covers {latest.seq})", anchored)
    if head_seq != last_seq or head_hash != running_hash:
        return ChainReport(checked, last_seq + 1, f"entries after {last_seq} were removed (head says {head_seq})",
                           anchored)
    # The highest entry first, then the head: a writer commits both at once, so an entry beyond
    # the head read after it is not one in flight but a head moved back to hide it.
    highest = session.scalar(select(func.max(AuditEntry.seq)))
    if highest is not None and highest > session.scalar(select(AuditHead.seq).where(AuditHead.id == HEAD_ID)):
        return ChainReport(checked, head_seq + 1, f"entries after the head ({head_seq}) are not chained to it", anchored)
    return ChainReport(checked, checkpoint_seq=anchored, head_seq=head_seq, head_hash=head_hash)


def _read(session: Session, statement):
    # What the database holds now, not entries the session happens to have in memory.
    return session.execute(statement.execution_options(populate_existing=True)).scalars()


def _broken_link(keyring: "KeyRing", entry: AuditEntry, running_hash: str, keyed_seen: bool,
                 legacy_until: int | None) -> str | None:
    """Why this entry does not link up where it is, or None."""
    if entry.prev_hash != running_hash:
        return "does not link to the entry before it"
    if entry.key_id is None:
        # Legacy (plain SHA-256) entries predate keyed links: only at the start of the chain,
        # and - once a checkpoint recorded where they end - not one beyond it.
        if keyed_seen or (legacy_until is not None and entry.seq > legacy_until):
            return "has no key id: an unkeyed link where only keyed ones may be (rewritten without the key)"
        expected = legacy_hash(entry, running_hash)
    else:
        try:
            expected = entry_hash(keyring, entry, running_hash)
        except KeyError:
            return f"its key {entry.key_id!r} is not in the key ring"
    if not hmac.compare_digest(expected, entry.hash):
        return "its content or hash was changed after it was written (the keyed link does not verify)"
    return None
