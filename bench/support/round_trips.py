"""Counting round trips to the database: every statement (an executemany is one), every
COMMIT and ROLLBACK, and the pool's pre-ping at a checkout when it sends one. The figure a
benchmark prints per applied request, beside its CPU time. The audit chain's statement goes
with the COMMIT in one pipeline (paas/audit/chain.py), past SQLAlchemy's events: that round
trip is counted once, as the commit."""
from __future__ import annotations

import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine

from iaas.database import read_only_engine


class RoundTrips:
    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self.counts = {"statements": 0, "commits": 0, "rollbacks": 0, "pings": 0}
        event.listen(engine, "before_cursor_execute", lambda *a, **k: self._add("statements"))
        event.listen(engine, "commit", lambda *a: self._add("commits"))
        event.listen(engine, "rollback", lambda *a: self._add("rollbacks"))
        event.listen(engine.pool, "checkout", self._checkout)
        if engine.dialect.name == "postgresql":  # the read-only work's pool is its own (its statements are engine's)
            event.listen(read_only_engine(engine).pool, "checkout", self._checkout)

    def _checkout(self, dbapi_connection, record, proxy) -> None:
        # SQLAlchemy's own pre-ping pings at every checkout; iaas.database's marks when it did.
        if getattr(proxy._pool, "_pre_ping", False) or record.info.pop("pinged", False):
            self._add("pings")

    def _add(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1

    def reset(self) -> None:
        with self._lock:
            self.counts = dict.fromkeys(self.counts, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
