"""Counters in a database table: the embedded default, shared by every worker and process.

Each attempt is one upsert-increment with RETURNING (SQLite 3.35+ and PostgreSQL), so two
requests can never read the same count. It runs on a connection and transaction of its own
and commits at once: a request rolled back afterwards does not undo the count."""
from __future__ import annotations

import random
import time
from collections.abc import Mapping

from sqlalchemy import Column, Connection, Engine, Float, bindparam, Integer, MetaData, PrimaryKeyConstraint, String, Table, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

from iaas.bulk_rows import unnested

METADATA = MetaData()
COUNTERS = Table(
    "rate_limit_counters",
    METADATA,
    Column("key", String(64), nullable=False),  # sha256 of the limit and what it counts
    Column("count", Integer, nullable=False),
    Column("window_ends_at", Float, nullable=False),  # epoch seconds
    PrimaryKeyConstraint("key", name="pk_rate_limit_counters"),
)
PURGE_ONE_IN = 200  # now and then an attempt also deletes windows that ended long ago


class DatabaseCounters:
    def __init__(self, engine: Engine, *, create_table: bool = False) -> None:
        self._engine = engine
        self._create_table = create_table

    def add(self, key: str, window_seconds: int) -> tuple[int, float]:
        with self._begin() as connection:
            return add_on(connection, key, window_seconds)

    def give_back(self, key: str) -> None:
        with self._begin() as connection:
            give_back_on(connection, key)

    def peek(self, key: str) -> tuple[int, float]:
        with self._begin() as connection:
            row = connection.execute(
                select(COUNTERS.c.count, COUNTERS.c.window_ends_at)
                .where(COUNTERS.c.key == key, COUNTERS.c.window_ends_at > time.time())
            ).one_or_none()
        return (row[0], row[1]) if row else (0, 0.0)

    def clear(self, key: str) -> None:
        with self._begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key == key))

    def _begin(self):
        if self._create_table:  # a counters file of its own (see portal.wiring): made on first use
            with self._engine.begin() as connection:
                connection.execute(CreateTable(COUNTERS, if_not_exists=True))
            self._create_table = False
        return self._engine.begin()


def _upsert(dialect: str):
    now = bindparam("now", type_=Float)
    hits = bindparam("hits", type_=Integer)
    expired = COUNTERS.c.window_ends_at <= now
    ends = now + bindparam("window_seconds", type_=Float)
    return (
        (postgresql.insert if dialect == "postgresql" else sqlite.insert)(COUNTERS)
        .values(key=bindparam("counter_key"), count=hits, window_ends_at=ends)
        .on_conflict_do_update(
            index_elements=[COUNTERS.c.key],
            set_={"count": case((expired, hits), else_=COUNTERS.c.count + hits),
                  "window_ends_at": case((expired, ends), else_=COUNTERS.c.window_ends_at)},
        )
        .returning(COUNTERS.c.key, COUNTERS.c.count, COUNTERS.c.window_ends_at)
    )


# Built once per dialect (compiled once, then cached): counting runs on every SMS and sign-in.
_UPSERT = {name: _upsert(name) for name in ("postgresql", "sqlite")}


NOW = bindparam("now", type_=Float)
WINDOW_ENDS_AT = bindparam("window_ends_at", type_=Float)  # for a caller's source of ``counting_upsert``


def counting_upsert(source):
    """On PostgreSQL, the upsert of ``add_many_on`` adding the rows of ``source`` (a select of
    key, count, window_ends_at, one row a key, in key order: two batches lock their counters
    in one order) to the counters; RETURNING key, count (now) and window_ends_at. A caller's
    statement counts in it as one of its CTEs (``counting_params`` are its parameters)."""
    counted = postgresql.insert(COUNTERS).from_select(["key", "count", "window_ends_at"], source)
    expired = COUNTERS.c.window_ends_at <= NOW
    return (counted.on_conflict_do_update(
        index_elements=[COUNTERS.c.key],
        set_={"count": case((expired, counted.excluded.count), else_=COUNTERS.c.count + counted.excluded.count),
              "window_ends_at": case((expired, counted.excluded.window_ends_at), else_=COUNTERS.c.window_ends_at)})
        .returning(COUNTERS.c.key, COUNTERS.c.count, COUNTERS.c.window_ends_at))


def counting_params(window_seconds: int) -> dict[str, float]:
    now = time.time()
    return {"now": now, "window_ends_at": now + window_seconds}


_ROWS = unnested(COUNTERS, ("key", "count", "window_ends_at"))
# One prepared text however many keys a batch counts.
_UPSERT_MANY_POSTGRES = counting_upsert(select(_ROWS.c.key, _ROWS.c.count, _ROWS.c.window_ends_at))
_GIVE_BACK = (update(COUNTERS)
              .where(COUNTERS.c.key == bindparam("counter_key"), COUNTERS.c.count >= bindparam("hits", type_=Integer),
                     COUNTERS.c.window_ends_at > bindparam("now", type_=Float))
              .values(count=COUNTERS.c.count - bindparam("hits", type_=Integer)))
_PURGE = delete(COUNTERS).where(COUNTERS.c.window_ends_at < bindparam("before", type_=Float))


def add_on(connection: Connection, key: str, window_seconds: int) -> tuple[int, float]:
    """``DatabaseCounters.add`` in the caller's transaction: the row stays locked until it
    ends, so a concurrent attempt on the same key waits and then counts after this one - a
    limit cannot be exceeded, and a rolled-back attempt does not count."""
    now = time.time()
    _key, count, ends = connection.execute(_UPSERT[connection.dialect.name], {
        "counter_key": key, "hits": 1, "now": now, "window_seconds": float(window_seconds)}).one()
    if random.randrange(PURGE_ONE_IN) == 0:
        connection.execute(_PURGE, {"before": now - 86_400})
    return count, ends


def add_many_on(connection: Connection, hits: Mapping[str, int], window_seconds: int) -> dict[str, tuple[int, float]]:
    """``add_on`` for several keys at once, ``hits[key]`` each, in one statement (a batch of
    SMS counted per number): key -> (its count now, when its window ends)."""
    now = time.time()
    # In key order (unnest yields an array's elements in order, and the insert takes them so):
    # two batches counting the same keys lock them in one order, never a deadlock.
    in_order = sorted(hits.items())
    if connection.dialect.name == "postgresql":
        rows = connection.execute(_UPSERT_MANY_POSTGRES, {
            "now": now, "rows_key": [key for key, _n in in_order], "rows_count": [n for _key, n in in_order],
            "rows_window_ends_at": [now + window_seconds] * len(in_order)})
    else:
        rows = connection.execute(_UPSERT[connection.dialect.name], [
            {"counter_key": key, "hits": n, "now": now, "window_seconds": float(window_seconds)} for key, n in in_order])
    counted = {row.key: (row.count, row.window_ends_at) for row in rows}
    purge_now_and_then_on(connection, now)
    return counted


def purge_now_and_then_on(connection: Connection, now: float) -> None:
    """Now and then (one call in ``PURGE_ONE_IN``) delete the windows that ended a day ago."""
    if random.randrange(PURGE_ONE_IN) == 0:
        connection.execute(_PURGE, {"before": now - 86_400})


def give_back_on(connection: Connection, key: str, hits: int = 1) -> None:
    connection.execute(_GIVE_BACK, {"counter_key": key, "hits": hits, "now": time.time()})


def clear_on(connection: Connection, key: str) -> None:
    connection.execute(delete(COUNTERS).where(COUNTERS.c.key == key))
