"""The sandbox's own persistent state: a small SQLite file, so checkouts and undelivered
events survive a restart and are shared by every worker process."""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, request TEXT NOT NULL,
    payment_intent TEXT NOT NULL UNIQUE, status TEXT NOT NULL, card_last4 TEXT, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS refunds (
    id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, payment_intent TEXT NOT NULL,
    amount INTEGER NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS failed_refunds (
    id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, payment_intent TEXT NOT NULL,
    amount INTEGER NOT NULL, failure_reason TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL DEFAULT 0, delivered_at REAL);
"""


class SandboxStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking SQLite's write lock up front (as the portal does)."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def read(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        conn = self._connect()
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def execute(self, sql: str, *params: Any) -> None:
        with self.transaction() as conn:
            conn.execute(sql, params)

    def add_event(self, conn: sqlite3.Connection, event: dict[str, Any]) -> None:
        conn.execute("INSERT INTO events (id, payload) VALUES (?, ?)", (event["id"], json.dumps(event, sort_keys=True)))

    def undelivered(self) -> list[dict[str, Any]]:
        rows = self.read("SELECT payload FROM events WHERE delivered_at IS NULL ORDER BY seq")
        return [json.loads(row["payload"]) for row in rows]

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.executescript(_SCHEMA)
                    conn.close()
                    self._ready = True
        conn = sqlite3.connect(self.path, timeout=15, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        return conn
