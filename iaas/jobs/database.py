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
                        bindparam, delete, func, insert, or_, select, update)
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

# The oldest job ready now (or running with its lease run out), claimed for a new lease.
_CLAIMABLE = (or_(JOBS.c.status == "ready", JOBS.c.status == "running"), JOBS.c.run_after <= bindparam("now"))
_OLDEST = select(JOBS.c.id).where(*_CLAIMABLE).order_by(JOBS.c.run_after, JOBS.c.id).limit(1)
_CLAIM = (update(JOBS).where(*_CLAIMABLE)
          .values(status="running", attempts=JOBS.c.attempts + 1, run_after=bindparam("lease_end"), lease=bindparam("lease"))
          .returning(JOBS.c.id, JOBS.c.name, JOBS.c.payload, JOBS.c.attempts, JOBS.c.lease))
# PostgreSQL: SKIP LOCKED, so any number of workers each take a different row without waiting.
_CLAIM_OLDEST = _CLAIM.where(JOBS.c.id == _OLDEST.with_for_update(skip_locked=True).scalar_subquery())


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
        self._listener_vacant = True  # nobody listens: a waiting thread should (under _committed)

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
        # when there is none does it wait - and look again each time it may have been woken.
        row = self._claim_one(lease_seconds)
        if row is None and wait_seconds > 0:
            with self._waiting() as woken:
                while row is None and (left := deadline - time.monotonic()) > 0:
                    woken(min(left, 1.0))
                    row = self._claim_one(lease_seconds)
        return None if row is None else Job(row.name, json.loads(row.payload), row.attempts, f"{row.id}:{row.lease}")

    @contextmanager
    def _waiting(self):
        """``woken(seconds)``: wait until a job may have been committed or ``seconds`` pass.
        On PostgreSQL one waiting thread of the process LISTENs on a pooled connection; the
        others wait in the process. A thread that becomes the listener returns at once from its
        ``woken``, so its caller looks again after the LISTEN: nothing committed before it is
        missed. Woken by a NOTIFY, the listener looks; when it takes a job it UNLISTENs, gives
        the connection back and marks the listening vacant, waking one waiting thread; a thread
        that finds it vacant (woken, or about to wait) listens before it looks again - so a
        commit of several jobs is taken one thread after the other, each listening first."""
        state = {"connection": None}

        def in_process(seconds: float) -> None:
            with self._committed:  # the flag and the wake under one lock: a hand-off is never missed
                if not (self._postgres and self._listener_vacant):
                    self._committed.wait(seconds)

        def become_listener() -> bool:
            if not self._postgres or not self._listener.acquire(blocking=False):
                return False
            with self._committed:
                self._listener_vacant = False
            connection = self._listen()
            if connection is None:  # the database cannot be reached: the others keep waiting their second
                self._listener.release()
                return False
            state["connection"] = connection
            return True

        def give_up_listening(connection, *, broken: bool = False) -> None:
            state["connection"] = None
            try:
                if broken:
                    connection.invalidate()  # never back to the pool
                else:
                    connection.exec_driver_sql("UNLISTEN *")
            except SQLAlchemyError:
                connection.invalidate()  # not back to the pool still listening
            finally:
                connection.close()
                self._listener.release()
                with self._committed:  # one waiting thread takes over the listening (not all: a herd of looks)
                    self._listener_vacant = True
                    self._committed.notify()

        def woken(seconds: float) -> None:
            connection = state["connection"]
            if connection is None:
                if not become_listener():
                    in_process(seconds)
                    become_listener()  # handed the listening (or a second passed): listen before the look
                return  # listening now, or waited: the caller looks
            try:
                for _ in connection.connection.driver_connection.notifies(timeout=seconds, stop_after=1):
                    pass
            except psycopg.Error:  # the connection broke: dropped, and another wait listens anew
                log.warning("LISTEN for new jobs failed; looking again", exc_info=True)
                give_up_listening(connection, broken=True)

        try:
            yield woken
        finally:
            if state["connection"] is not None:
                give_up_listening(state["connection"])

    def _listen(self):
        try:
            connection = self._engine.connect()
        except SQLAlchemyError:  # e.g. the server restarting, or the pool exhausted
            log.warning("cannot LISTEN for new jobs; looking every second instead", exc_info=True)
            return None
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
        values = {"now": now, "lease_end": now + lease_seconds, "lease": lease}
        if self._postgres:  # one statement, one round trip, in autocommit: the row is locked only while it runs
            with self._engine.connect() as connection:
                return connection.execution_options(isolation_level="AUTOCOMMIT").execute(_CLAIM_OLDEST, values).one_or_none()
        # SQLite has one writer at a time: the look and the update in one transaction are exclusive.
        with self._engine.begin() as connection:
            job_id = connection.execute(_OLDEST, values).scalar()
            if job_id is None:
                return None
            return connection.execute(_CLAIM.where(JOBS.c.id == job_id), values).one_or_none()

    def _settle(self, receipt: str, **values) -> None:
        job_id, lease = receipt.split(":")
        mine = (JOBS.c.id == int(job_id), JOBS.c.lease == lease)
        statement = update(JOBS).where(*mine).values(**values) if values else delete(JOBS).where(*mine)
        if not self._postgres:
            with self._engine.begin() as connection:
                connection.execute(statement)
            return
        with self._engine.connect() as connection:  # one statement: autocommit, no BEGIN and COMMIT around it
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(statement)

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
