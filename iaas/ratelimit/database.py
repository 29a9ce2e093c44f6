"""Counters in a database table: the embedded default, shared by every worker and process.

Each attempt is one upsert-increment with RETURNING (SQLite 3.35+ and PostgreSQL), so two
requests can never read the same count. It runs on a connection and transaction of its own
and commits at once: a request rolled back afterwards does not undo the count."""
from __future__ import annotations

import random
import time

from sqlalchemy import Column, Engine, Float, Integer, MetaData, PrimaryKeyConstraint, String, Table, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

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
        now = time.time()
        insert = (postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert)(COUNTERS)
        expired = COUNTERS.c.window_ends_at <= now
        statement = (
            insert.values(key=key, count=1, window_ends_at=now + window_seconds)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.key],
                set_={
                    "count": case((expired, 1), else_=COUNTERS.c.count + 1),
                    "window_ends_at": case((expired, now + window_seconds), else_=COUNTERS.c.window_ends_at),
                },
            )
            .returning(COUNTERS.c.count, COUNTERS.c.window_ends_at)
        )
        with self._begin() as connection:
            count, ends = connection.execute(statement).one()
            if random.randrange(PURGE_ONE_IN) == 0:
                connection.execute(delete(COUNTERS).where(COUNTERS.c.window_ends_at < now - 86_400))
        return count, ends

    def give_back(self, key: str) -> None:
        with self._begin() as connection:
            connection.execute(
                update(COUNTERS)
                .where(COUNTERS.c.key == key, COUNTERS.c.count > 0, COUNTERS.c.window_ends_at > time.time())
                .values(count=COUNTERS.c.count - 1)
            )

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
