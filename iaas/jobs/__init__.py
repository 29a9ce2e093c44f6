"""Job queue port: after-commit work (mail, SMS, refunds, notice delivery) as named jobs that a
worker runs. Embedded default: a table in the portal's database, written in the request's own
transaction, so a job exists exactly when the change that caused it was committed. Cloud: SQS
with a dead-letter queue, sent right after the commit.

A claimed job is leased: if the worker dies, the job becomes claimable again when the lease
ends. ``attempts`` counts the claims, the current one included; the worker (not the queue)
decides when to retry and when a job is poison."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from iaas.jobs.database import DatabaseJobQueue

__all__ = ["Job", "JobQueue", "DatabaseJobQueue"]


@dataclass(frozen=True)
class Job:
    name: str
    payload: dict[str, Any]
    attempts: int
    receipt: str = field(repr=False)  # what the queue needs to settle this claim


class JobQueue(Protocol):
    # True: ``enqueue`` takes the caller's connection and joins its transaction; such a queue
    # also gives ``table`` and ``row(name, payload, delay_seconds=)``/``enqueue_rows(rows,
    # connection=)``, so a transaction's jobs can be written together at its commit.
    # False: the caller sends after its commit (the queue is another system).
    transactional: bool
    # A transactional queue on PostgreSQL: the channel a statement the transaction sends anyway
    # may ``pg_notify`` in place of ``announce`` (its own round trip); None elsewhere.
    wake_channel: str | None

    def enqueue(self, name: str, payload: dict[str, Any], *, delay_seconds: int = 0, connection=None) -> None: ...

    def claim(self, *, lease_seconds: int = 60, wait_seconds: float = 0) -> Job | None: ...

    def complete(self, job: Job) -> None:
        """Done: the job is gone."""

    def retry(self, job: Job, *, delay_seconds: int, error: str) -> None:
        """Failed: run it again after ``delay_seconds``."""

    def extend(self, job: Job, *, lease_seconds: int) -> None:
        """Still working on it: hold the claim ``lease_seconds`` more (the worker's heartbeat)."""

    def release(self, job: Job) -> None:
        """Not run (the worker is stopping): back to the queue at once."""

    def bury(self, job: Job, *, error: str) -> None:
        """Poison: to the dead-letter queue, where a person looks at it."""

    def depth(self) -> dict[str, int]:
        """{"ready": waiting or running, "dead": in the dead-letter queue}."""

    def ping(self, *, connection=None) -> None:
        """Raise when the queue cannot be reached (readiness). A transactional queue checks on
        ``connection`` when given (SQLite: a second connection would wait for the first's lock)."""

    def announce(self, *, connection) -> None:
        """A transactional queue, in a transaction that wrote jobs: wake the workers of other
        processes when it commits (nothing where the queue cannot)."""

    def notify(self) -> None:
        """A job was committed: wake an in-process worker waiting for one (if any)."""

    def waiting(self, name: str, *, connection=None) -> list[Any]:
        """Tokens of the jobs ``name`` committed and waiting now (not running); ``[]`` where the
        queue cannot tell (SQS). A transactional queue reads on ``connection`` when given."""

    def discard(self, tokens: list[Any], *, connection=None) -> None:
        """Drop those of ``tokens`` still waiting: a run that began after they were committed
        has done their work (one outbox delivery for the many messages queued meanwhile)."""
