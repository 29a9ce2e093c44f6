"""The job queue in the portal's own database (the embedded default).

Enqueued on the caller's connection, so a job commits or rolls back with the request that
caused it. Claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: any number of workers each
take a different row without waiting on each other. SQLite has one writer at a time, so a
single ``UPDATE ... RETURNING`` of the oldest ready row is already exclusive there.

A worker waiting for a job is woken at once by a commit that wrote one: in its own process by
``notify``, and on PostgreSQL from any process by ``NOTIFY portal_jobs`` sent in that
transaction (``announce``: delivered only if it commits), which the waiting worker LISTENs for;
else it looks again after a second. A statement the transaction sends anyway may carry the wake
instead (``pg_notify(wake_channel, '')``: the audit head's, a round trip less)."""
from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import (Column, Engine, Float, Index, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text,
                        delete, func, insert, or_, select, update)
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

METADATA = MetaData()
JOBS = Table(
    "jobs",
    METADATA,
    Column("id", Integer, nullable=False, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("status", String(8), nullable=False),  # ready / running / dead
    Column("attempts", Integer, nullable=False),
    Column("run_after", Float, nullable=False),  # epoch seconds: not before (backoff), or lease end when running
    Column("lease", String(32)),  # the current claim's token: a stale worker cannot settle a re-claimed job
    Column("last_error", Text),
    Column("created_at", Float, nullable=False),
    PrimaryKeyConstraint("id", name="pk_jobs"),
    Index("ix_jobs_status_run_after", "status", "run_after"),
)

WAKE_CHANNEL = "portal_jobs"

_NOTIFY = f"NOTIFY {WAKE_CHANNEL}"


class DatabaseJobQueue:
    transactional = True
    table = JOBS  # a transaction's jobs may be written by one statement of its own (``row``)

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        # What a statement of the transaction may pg_notify() instead of ``announce`` (None: nothing to wake).
        self.wake_channel = WAKE_CHANNEL if self._postgres else None
        self._committed = threading.Condition()
        self._listener = threading.Lock()  # one thread of this process LISTENs at a time

    @staticmethod
    def row(name: str, payload: dict[str, Any], *, delay_seconds: int = 0) -> dict[str, Any]:
        """The row ``enqueue`` writes, for a caller that writes its transaction's jobs itself,
        several in one statement (the unit of work, at its commit): ``enqueue_rows``."""
        now = time.time()
        return {"name": name, "payload": json.dumps(payload, sort_keys=True), "status": "ready", "attempts": 0,
                "run_after": now + delay_seconds, "created_at": now}

    def enqueue_rows(self, rows: list[dict[str, Any]], *, connection) -> None:
        """Rows made by ``row``, in the caller's transaction, by one statement."""
        if rows:
            connection.execute(insert(JOBS), rows)

    def announce(self, *, connection) -> None:
        """In a transaction that wrote jobs: wake the workers of every process when it commits."""
        if self._postgres:
            connection.exec_driver_sql(_NOTIFY)

    def enqueue(self, name: str, payload: dict[str, Any], *, delay_seconds: int = 0, connection=None) -> None:
        rows = [self.row(name, payload, delay_seconds=delay_seconds)]
        if connection is not None:
            self.enqueue_rows(rows, connection=connection)  # the caller's transaction decides whether it happens
            return
        with self._engine.begin() as own:
            self.enqueue_rows(rows, connection=own)
        self.notify()

    def claim(self, *, lease_seconds: int = 60, wait_seconds: float = 0):
        from iaas.jobs import Job

        deadline = time.monotonic() + wait_seconds
        # A busy queue has a job ready: take it without the LISTEN, UNLISTEN and connection
        # checkout of waiting (three round trips a job, for a worker that never waits). Only
        # when there is none does it listen - and look again, so nothing committed between
        # this look and the LISTEN is missed.
        row = self._claim_one(lease_seconds)
        if row is not None or wait_seconds <= 0:
            return None if row is None else Job(row.name, json.loads(row.payload), row.attempts, f"{row.id}:{row.lease}")
        with self._listening(wait_seconds) as woken:
            while True:
                row = self._claim_one(lease_seconds)
                if row is not None:
                    return Job(row.name, json.loads(row.payload), row.attempts, f"{row.id}:{row.lease}")
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                woken(min(left, 1.0))

    @contextmanager
    def _listening(self, wait_seconds: float):
        """``woken(seconds)``: wait until a job may have been committed or ``seconds`` pass. On
        PostgreSQL a pooled connection LISTENs meanwhile (one waiting thread at a time; others,
        and SQLite, wait for ``notify`` from this process); it UNLISTENs before going back."""
        def in_process(seconds: float) -> None:
            with self._committed:
                self._committed.wait(seconds)

        if not self._postgres or wait_seconds <= 0 or not self._listener.acquire(blocking=False):
            yield in_process
            return
        try:
            connection = self._listen()
            if connection is None:
                yield in_process
                return
            driver = connection.connection.driver_connection

            def listened(seconds: float) -> None:
                try:
                    for _ in driver.notifies(timeout=seconds, stop_after=1):
                        pass
                except psycopg.Error:  # the connection broke: the next claim listens anew
                    log.warning("LISTEN for new jobs failed; looking again", exc_info=True)
                    in_process(seconds)

            try:
                yield listened
            finally:
                try:
                    connection.exec_driver_sql("UNLISTEN *")
                except SQLAlchemyError:
                    connection.invalidate()  # not back to the pool still listening
                finally:
                    connection.close()
        finally:
            self._listener.release()

    def _listen(self):
        connection = self._engine.connect()
        try:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql(f"LISTEN {WAKE_CHANNEL}")
        except SQLAlchemyError:
            connection.close()
            log.warning("cannot LISTEN for new jobs; looking every second instead", exc_info=True)
            return None
        return connection

    def _claim_one(self, lease_seconds: int):
        now, lease = time.time(), uuid.uuid4().hex
        claimable = or_(JOBS.c.status == "ready", JOBS.c.status == "running")  # running: its lease ran out
        oldest = select(JOBS.c.id).where(claimable, JOBS.c.run_after <= now).order_by(JOBS.c.run_after, JOBS.c.id).limit(1)
        if self._postgres:
            oldest = oldest.with_for_update(skip_locked=True)
        with self._engine.begin() as connection:
            job_id = connection.execute(oldest).scalar()
            if job_id is None:
                return None
            return connection.execute(
                update(JOBS).where(JOBS.c.id == job_id, claimable, JOBS.c.run_after <= now)
                .values(status="running", attempts=JOBS.c.attempts + 1, run_after=now + lease_seconds, lease=lease)
                .returning(JOBS.c.id, JOBS.c.name, JOBS.c.payload, JOBS.c.attempts, JOBS.c.lease)
            ).one_or_none()

    def _settle(self, receipt: str, **values) -> None:
        job_id, lease = receipt.split(":")
        mine = (JOBS.c.id == int(job_id), JOBS.c.lease == lease)
        with self._engine.begin() as connection:
            if values:
                connection.execute(update(JOBS).where(*mine).values(**values))
            else:
                connection.execute(delete(JOBS).where(*mine))

    def complete(self, job) -> None:
        self._settle(job.receipt)

    def retry(self, job, *, delay_seconds: int, error: str) -> None:
        self._settle(job.receipt, status="ready", run_after=time.time() + delay_seconds, lease=None,
                     last_error=error[:1000])

    def extend(self, job, *, lease_seconds: int) -> None:
        self._settle(job.receipt, run_after=time.time() + lease_seconds)

    def release(self, job) -> None:
        # Not a failure: the claim is not counted against the poison limit.
        self._settle(job.receipt, status="ready", run_after=time.time(), lease=None, attempts=JOBS.c.attempts - 1)
        self.notify()

    def bury(self, job, *, error: str) -> None:
        self._settle(job.receipt, status="dead", lease=None, last_error=error[:1000])

    def waiting(self, name: str, *, connection=None) -> list[int]:
        statement = (select(JOBS.c.id).where(JOBS.c.name == name, JOBS.c.status == "ready", JOBS.c.run_after <= time.time())
                     .limit(10_000))
        if connection is not None:
            return list(connection.scalars(statement))
        with self._engine.connect() as own:
            return list(own.scalars(statement))

    def discard(self, tokens: list[int], *, connection=None) -> None:
        if connection is None:
            with self._engine.begin() as own:
                self.discard(tokens, connection=own)
            return
        for chunk in range(0, len(tokens), 500):  # a bounded IN list
            connection.execute(delete(JOBS).where(JOBS.c.id.in_(tokens[chunk:chunk + 500]), JOBS.c.status == "ready"))

    def depth(self) -> dict[str, int]:
        with self._engine.connect() as connection:
            counts = dict(connection.execute(select(JOBS.c.status, func.count()).group_by(JOBS.c.status)).all())
        return {"ready": counts.get("ready", 0) + counts.get("running", 0), "dead": counts.get("dead", 0)}

    def dead(self) -> list[dict[str, Any]]:
        """The dead-letter jobs, oldest first, for an operator."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(JOBS.c.id, JOBS.c.name, JOBS.c.payload, JOBS.c.attempts, JOBS.c.last_error)
                                      .where(JOBS.c.status == "dead").order_by(JOBS.c.id)).all()
        return [dict(row._mapping) for row in rows]

    def ping(self, *, connection=None) -> None:
        probe = select(func.count()).select_from(JOBS).where(JOBS.c.id < 0)
        if connection is not None:
            connection.execute(probe)
            return
        with self._engine.connect() as own:
            own.execute(probe)

    def notify(self) -> None:
        with self._committed:
            self._committed.notify_all()
