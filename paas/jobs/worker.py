"""The worker: takes jobs from the queue and runs their handlers.

A handler that raises is retried after an exponential backoff (``base_delay`` doubling per
attempt, capped, with a little jitter so a crowd of failed jobs does not return as one); at
``max_attempts`` the job is poison and goes to the dead-letter queue. ``threads`` run jobs side
by side (claims never overlap: SKIP LOCKED, or SQS's visibility). ``stop()`` (SIGTERM)
lets the jobs in hand finish, returns a job claimed but not started, and ends the loop. A
worker killed outright loses nothing: its claim is a lease, and the job becomes claimable
again when the lease ends. Periodic tasks (held payouts, sweeps of the outbox) run between
jobs, by their handler, when their interval has passed."""
from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paas.jobs.registry import handler_for

if TYPE_CHECKING:
    from iaas.jobs import Job, JobQueue
    from paas.platform import Platform

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 2.0  # seconds before the second attempt
    max_delay: float = 900.0
    jitter: float = 0.1  # up to this share added at random

    def delay(self, attempts: int) -> int:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        delay = min(self.max_delay, self.base_delay * 2 ** (attempts - 1))
        return int(round(delay * (1 + random.uniform(0, self.jitter))))


@dataclass
class Periodic:
    job: str  # a handler's name
    every_seconds: float
    due_at: float = 0.0  # monotonic; 0: at the first chance


@dataclass
class Worker:
    platform: "Platform"
    queue: "JobQueue"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease_seconds: int = 300  # longer than any one job; a dead worker's job waits this long
    poll_seconds: float = 2.0
    # A job mostly waits on the database or a gateway: several in flight in one process keep a
    # burst (a step-up code behind a run of notices) from queueing behind one round trip at a time.
    threads: int = 1
    periodic: list[Periodic] = field(default_factory=list)
    on_outcome: Callable[[str, str], None] = lambda _name, _outcome: None  # (job, done/retried/dead/returned)
    stopping: threading.Event = field(default_factory=threading.Event)
    _heartbeat: "_Heartbeat | None" = field(default=None, init=False, repr=False)

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        """Until ``stop``: jobs in ``threads`` threads (the periodic tasks between this one's),
        their claims renewed by one heartbeat thread."""
        log.info("worker started", extra={"queue": type(self.queue).__name__, "threads": self.threads})
        self._heartbeat = _Heartbeat(self)
        others = [threading.Thread(target=self._run_jobs, name=f"portal-jobs-{n}", daemon=True)
                  for n in range(1, self.threads)]
        for thread in others:
            thread.start()
        try:
            while not self.stopping.is_set():
                self.run_periodic()
                self._run_one_surviving()
            for thread in others:
                thread.join()
        finally:
            self._heartbeat.stop()
            self._heartbeat = None
        log.info("worker stopped")

    def _run_jobs(self) -> None:
        while not self.stopping.is_set():
            self._run_one_surviving()

    def _run_one_surviving(self) -> None:
        """One look, and its job if any; a failure of the queue itself (the database failing
        over: the claim or the settle raised) is logged and waited out, so no thread of the
        worker dies of it and the others' jobs go on. An unsettled job returns with its lease."""
        try:
            self.run_one(wait_seconds=self.poll_seconds)
        except Exception:
            log.exception("the job queue failed; trying again in a second")
            self.stopping.wait(1.0)

    def run_one(self, *, wait_seconds: float = 0) -> bool:
        """Take one job and settle it; False when there was none."""
        job = self.queue.claim(lease_seconds=self.lease_seconds, wait_seconds=wait_seconds)
        if job is None:
            return False
        if self.stopping.is_set():  # claimed while the stop came: someone else will run it
            self.queue.release(job)
            self.on_outcome(job.name, "returned")
            return True
        self._run(job)
        return True

    def run_until_empty(self) -> int:
        """Every job ready now (tests, ``portal worker --once``); returns how many were taken."""
        count = 0
        while not self.stopping.is_set() and self.run_one():
            count += 1
        return count

    def _run(self, job: "Job") -> None:
        started = time.perf_counter()
        heartbeat = self._heartbeat or _Heartbeat(self)  # outside ``run`` (``--once``, tests): one of its own
        heartbeat.hold(job)
        try:
            handler_for(job.name)(self.platform, job.payload)
        except Exception as exc:  # whatever the handler raised: retried, then dead-lettered
            error = f"{type(exc).__name__}: {exc}"
            if job.attempts >= self.retry.max_attempts:
                log.error("job %s is poison after %d attempts: %s", job.name, job.attempts, error)
                self.queue.bury(job, error=error)
                self.on_outcome(job.name, "dead")
            else:
                delay = self.retry.delay(job.attempts)
                log.warning("job %s failed (attempt %d), retried in %d s: %s", job.name, job.attempts, delay, error)
                self.queue.retry(job, delay_seconds=delay, error=error)
                self.on_outcome(job.name, "retried")
            return
        finally:
            heartbeat.let_go(job)
            if heartbeat is not self._heartbeat:
                heartbeat.stop()
        self.queue.complete(job)
        self.on_outcome(job.name, "done")
        log.info("job %s done in %.3f s", job.name, time.perf_counter() - started)

    def _renew(self, job: "Job") -> None:
        try:
            self.queue.extend(job, lease_seconds=self.lease_seconds)
        except Exception:  # the next beat tries again; the job itself goes on
            log.warning("job %s: the claim could not be renewed", job.name, exc_info=True)

    def run_periodic(self) -> None:
        now = time.monotonic()
        for task in self.periodic:
            if now < task.due_at or self.stopping.is_set():
                continue
            task.due_at = now + task.every_seconds
            try:
                handler_for(task.job)(self.platform, {})
            except Exception:  # the next interval tries again; jobs must not wait on it
                log.exception("periodic %s failed", task.job)


class _Heartbeat:
    """One thread renewing the claim of every job the worker's threads have in hand, a third
    of a lease apart (a job claimed just after a beat is renewed at the next, well inside its
    lease): a long job (a shared night) keeps its claim while this process lives, and a dead
    process's job returns when its lease runs out. One for all of ``run``'s threads: a thread
    per job cost a start and a join around every job."""

    def __init__(self, worker: Worker) -> None:
        self._worker = worker
        self._held: dict[int, "Job"] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="portal-jobs-heartbeat", daemon=True)
        self._thread.start()

    def hold(self, job: "Job") -> None:
        with self._lock:
            self._held[id(job)] = job

    def let_go(self, job: "Job") -> None:
        with self._lock:
            self._held.pop(id(job), None)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stopped.wait(self._worker.lease_seconds / 3):
            with self._lock:
                held = list(self._held.values())
            for job in held:
                self._worker._renew(job)
