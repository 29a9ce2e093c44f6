"""Unit of work: one database transaction, rolled back unless its owner commits.

The owner is the request, the console action, the CLI command or the batch step. Work that
must only happen once the data is durable (sending mail and SMS) is a job: ``enqueue_job``
writes it in this very transaction when the queue is the database (so it exists exactly when
the change does, whatever happens to the process after the commit) - all of the transaction's
jobs by one statement at its commit, the audit chain's when it has entries - or sends it right after
the commit when the queue is another system (SQS). A worker runs it, not the request thread.
``after_commit`` remains for in-process follow-ups that need no durability."""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from iaas.clock import Clock
    from iaas.jobs import JobQueue
    from paas.audit.models import AuditEntry
    from iaas.keyring import KeyRing
    from paas.platform import Platform

log = logging.getLogger(__name__)
JOBS_IN_THE_CHAIN = 8  # at most this many of a transaction's jobs are written in its audit chain's statement


class UnitOfWork:
    """``read_only`` units (pages that only show data) run without a transaction on
    PostgreSQL: each statement stands alone, saving the BEGIN and COMMIT round trips.
    Anything that must be atomic (the audit chain, the outbox) refuses to run in one.

    The ORM ``session`` is made on first use. A read-only unit on PostgreSQL whose work is
    Core statements on ``connection()`` (the session check of every signed-in request, the
    asset sheet) never makes one: a pooled connection is all it checks out."""

    def __init__(self, platform: "Platform", *, read_only: bool = False) -> None:
        self.platform = platform
        self.read_only = read_only
        self._after_commit: list[Callable[[], None]] = []
        self.pending_audit: list[AuditEntry] = []  # chained at commit (paas.audit.chain.record)
        self._autocommit = False
        self._jobs: set[tuple[str, str]] = set()  # (name, payload) enqueued in this transaction
        self._job_rows: list[dict[str, Any]] = []  # a transactional queue's rows, written at commit
        self._session: Session | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> "UnitOfWork":
        factory = self.platform.read_only_session_factory if self.read_only else self.platform.session_factory
        self._factory = factory or self.platform.session_factory
        # A read-only unit on PostgreSQL runs in autocommit (SQLite's keeps a transaction, whose
        # writes - a session's last-seen time - its commit must still end).
        self._autocommit = self.read_only and self.platform.read_only_connect is not None
        return self

    @property
    def session(self) -> Session:
        if self._session is None:
            # On the connection already taken, if any: one connection per unit of work.
            self._session = self._factory(bind=self._connection) if self._connection is not None else self._factory()
        return self._session

    def connection(self) -> "Connection":
        """The unit's connection, for Core statements: the session's, or in a read-only unit on
        PostgreSQL an autocommit connection of its own (no ORM session made for it)."""
        if self._session is None and self._autocommit:
            if self._connection is None:
                self._connection = self.platform.read_only_connect()
            return self._connection
        return self.session.connection()

    def flushed_connection(self) -> "Connection":
        """The session's connection once what the session holds is flushed, as the ORM's own
        queries would (autoflush): a Core read on it sees this unit's pending changes."""
        session = self.session
        if session.autoflush:
            session.flush()
        return session.connection()

    def require_transaction(self, what: str) -> None:
        if self.read_only:
            raise RuntimeError(f"{what} needs a transaction; this unit of work is read-only")

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.rollback()
        finally:
            try:
                if self._session is not None:
                    self._session.close()
            finally:
                if self._connection is not None:
                    self._connection.close()

    @property
    def clock(self) -> "Clock":
        return self.platform.clock

    @property
    def keyring(self) -> "KeyRing":
        return self.platform.keyring

    def after_commit(self, action: Callable[[], None]) -> None:
        if action not in self._after_commit:
            self._after_commit.append(action)

    def enqueue_job(self, name: str, payload: dict[str, Any] | None = None, *, delay_seconds: int = 0) -> None:
        """Run the job ``name`` (a handler in ``paas.jobs.registry``) once this transaction commits;
        the same name and payload twice in one transaction make one job."""
        self.require_transaction("a job")
        payload = payload or {}
        key = (name, json.dumps(payload, sort_keys=True))
        if key in self._jobs:
            return
        self._jobs.add(key)
        queue = self.platform.jobs
        if queue is None:  # no queue wired (unit tests with fakes): run it after the commit, here
            self.after_commit(_RunHere(self.platform, name, payload))
        elif queue.transactional:
            # Written at the commit, with the transaction's other jobs (and its audit entries).
            self._job_rows.append(queue.row(name, payload, delay_seconds=delay_seconds))
            self.after_commit(queue.notify)
        else:
            self.after_commit(_SendAfterCommit(queue, name, payload, delay_seconds))

    def audit_mark(self) -> tuple[int, int, int]:
        """Where what waits for the commit stands (audit entries, jobs, after-commit actions),
        for ``audit_reset``."""
        return len(self.pending_audit), len(self._job_rows), len(self._after_commit)

    def audit_reset(self, mark: tuple[int, int, int]) -> None:
        """Forget the entries recorded, the jobs enqueued and the actions asked for since
        ``mark`` (their savepoint was rolled back): nothing of it happens at the commit."""
        entries, jobs, actions = mark
        del self.pending_audit[entries:]
        for row in self._job_rows[jobs:]:
            self._jobs.discard((row["name"], row["payload"]))
        del self._job_rows[jobs:]
        for action in self._after_commit[actions:]:
            if isinstance(action, (_SendAfterCommit, _RunHere)):
                self._jobs.discard((action.name, json.dumps(action.payload, sort_keys=True)))
        del self._after_commit[actions:]

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A savepoint of the session whose rollback (an exception leaving the block) also
        forgets what was recorded for the commit inside it: use it instead of a bare
        ``session.begin_nested()``."""
        mark = self.audit_mark()
        try:
            with self.session.begin_nested():
                yield
        except BaseException:
            self.audit_reset(mark)
            raise

    def commit(self) -> None:
        if self._autocommit and not self._after_commit and not self._has_changes():
            return  # each statement of this unit committed on its own: nothing to end
        jobs, self._job_rows = self._job_rows, []
        # A few jobs ride in the audit chain's statement (a round trip less); many go by their own.
        folded = bool(jobs) and bool(self.pending_audit) and len(jobs) <= JOBS_IN_THE_CHAIN
        if jobs and not folded:
            self.platform.jobs.enqueue_rows(jobs, connection=self.session.connection())
        # Workers waiting in other processes are woken by this commit: by the audit head's
        # statement when it is sent anyway and the queue can be woken so, else on its own.
        wake = getattr(self.platform.jobs, "wake_channel", None) if jobs and self.pending_audit else None
        if jobs and wake is None:
            self.platform.jobs.announce(connection=self.session.connection())
        if self.pending_audit:
            from paas.audit.chain import append_pending

            self.session.flush()  # the rest first: the audit head stays locked only until the commit
            append_pending(self.session, self.pending_audit, self.keyring,
                           alongside=(self.platform.jobs.table, jobs) if folded else None, wake=wake, commit=True)
            self.pending_audit = []
        self.session.commit()
        self._jobs.clear()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            try:
                action()
            except Exception:  # the data is committed; a failed side effect is retried later
                log.exception("after-commit action %r failed; it will be retried", action)

    def _has_changes(self) -> bool:
        session = self._session
        return session is not None and bool(session.new or session.dirty or session.deleted)

    def rollback(self) -> None:
        self._after_commit.clear()
        self._jobs.clear()
        self._job_rows.clear()
        self.pending_audit.clear()
        if self._session is not None:
            self._session.rollback()


@dataclass(frozen=True)
class _SendAfterCommit:
    queue: "JobQueue"
    name: str
    payload: dict[str, Any]
    delay_seconds: int

    def __call__(self) -> None:
        self.queue.enqueue(self.name, self.payload, delay_seconds=self.delay_seconds)


@dataclass(frozen=True)
class _RunHere:
    platform: "Platform"
    name: str
    payload: dict[str, Any]

    def __call__(self) -> None:
        from paas.jobs.registry import handler_for

        handler_for(self.name)(self.platform, self.payload)
