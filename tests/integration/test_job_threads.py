"""A worker's threads run jobs side by side on every queue, and on PostgreSQL the waiting
threads share one LISTEN: the thread holding it wakes the others, and when it leaves to run
a job another takes it over, so a job committed while the first one runs is started at once
(not at the next look a second later)."""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from paas.jobs.worker import Worker
from tests.job_support import STARTED

pytestmark = pytest.mark.slow


def _running(worker: Worker) -> threading.Thread:
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    return thread


def _stopped(worker: Worker, thread: threading.Thread) -> None:
    worker.stop()
    thread.join(15)
    assert not thread.is_alive(), "the worker did not stop"


def _commit_jobs(queue, keys, seconds: float) -> float:
    with queue._engine.connect() as connection:
        queue.enqueue_rows([queue.row("test.timed", {"key": key, "seconds": seconds}) for key in keys], connection=connection)
        queue.announce(connection=connection)
        connection.commit()
    return time.monotonic()


def test_a_worker_of_three_threads_runs_three_jobs_at_once(queue):
    key = uuid.uuid4().hex  # each job waits until all three are running: one thread alone never finishes one
    for _ in range(3):
        queue.enqueue("test.meet", {"key": key, "of": 3})
    outcomes: list[str] = []
    worker = Worker(platform=None, queue=queue, threads=3, poll_seconds=0.5,
                    on_outcome=lambda _name, outcome: outcomes.append(outcome))
    thread = _running(worker)
    deadline = time.monotonic() + 20
    while len(outcomes) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    _stopped(worker, thread)
    assert outcomes == ["done"] * 3
    assert queue.depth()["ready"] == 0


def test_long_jobs_in_a_running_worker_keep_their_claims_by_its_one_heartbeat(queue, tmp_path):
    for n in range(2):
        queue.enqueue("test.slow", {"folder": str(tmp_path), "seconds": 3.5, "n": n})
    outcomes: list[str] = []
    worker = Worker(platform=None, queue=queue, threads=2, lease_seconds=1, poll_seconds=0.5,
                    on_outcome=lambda _name, outcome: outcomes.append(outcome))
    thread = _running(worker)
    try:
        time.sleep(2.2)  # both running, each past its first lease
        assert queue.claim(lease_seconds=30) is None
        deadline = time.monotonic() + 10
        while len(outcomes) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        _stopped(worker, thread)
    assert outcomes == ["done", "done"]
    assert (tmp_path / "finished").read_text().count("\n") == 2  # each ran once: none was handed out again
    assert queue.depth()["ready"] == 0


@pytest.mark.postgres
def test_a_job_committed_while_the_listening_thread_runs_one_starts_at_once(two_processes):
    worker_queue, web = two_processes
    worker = Worker(platform=None, queue=worker_queue, threads=2, poll_seconds=5)
    thread = _running(worker)
    try:
        # Both threads looked, found nothing and wait: one listens, the other looks again each
        # second - these commits come between its looks (at 1.2 and 1.4 s; it looks at 1 and 2 s).
        time.sleep(1.2)
        first, second = uuid.uuid4().hex, uuid.uuid4().hex
        committed = {}
        for key in (first, second):
            committed[key] = _commit_jobs(web, [key], 1.5)
            time.sleep(0.2)  # the first job is running (in the thread that listened) when the second commits
        deadline = time.monotonic() + 5
        while second not in STARTED and time.monotonic() < deadline:
            time.sleep(0.02)
        # Each started well before the other thread's next look (a second after its last).
        assert STARTED[first] - committed[first] < 0.3, STARTED[first] - committed[first]
        assert STARTED[second] - committed[second] < 0.3, STARTED[second] - committed[second]
    finally:
        _stopped(worker, thread)
    engine = worker_queue._engine
    with engine.connect() as connection:  # every pooled connection went back without its LISTEN
        pooled = [engine.connect() for _ in range(engine.pool.checkedin())]
        try:
            assert [c.exec_driver_sql("SELECT count(*) FROM pg_listening_channels()").scalar() for c in [connection, *pooled]] \
                == [0] * (1 + len(pooled))
        finally:
            for other in pooled:
                other.close()


@pytest.mark.parametrize("env, threads", [
    ({}, 4), ({"DATABASE_URL": "sqlite:////tmp/portal.sqlite3"}, 1), ({"PORTAL_WORKER_THREADS": "2"}, 2),
    ({"DATABASE_URL": "sqlite:////tmp/portal.sqlite3", "PORTAL_WORKER_THREADS": "3"}, 3)])
def test_the_worker_runs_four_threads_on_postgresql_one_on_sqlite_unless_told(env, threads):
    from portal.config import Settings
    from portal.jobs_wiring import worker_threads

    assert worker_threads(Settings.from_env({"DATABASE_URL": "postgresql://127.0.0.1/portal", **env})) == threads


@pytest.mark.parametrize("raw", ["0", "-1", "two", "1.5"])
def test_a_worker_thread_count_that_is_not_a_whole_number_above_zero_is_refused(raw):
    from portal.config import ConfigurationError, Settings
    from portal.jobs_wiring import worker_threads

    with pytest.raises(ConfigurationError, match="PORTAL_WORKER_THREADS"):
        worker_threads(Settings.from_env({"DATABASE_URL": "postgresql://127.0.0.1/portal", "PORTAL_WORKER_THREADS": raw}))


@pytest.mark.postgres
def test_a_listening_connection_that_breaks_is_dropped_and_the_next_wait_listens_anew(two_processes):
    worker_queue, web = two_processes
    claimed = {}

    def wait():
        claimed["job"] = worker_queue.claim(lease_seconds=30, wait_seconds=6)
        claimed["at"] = time.monotonic()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.5)  # it listens
    with web._engine.connect() as connection:  # the listening backend dies (a failover, an idle timeout)
        connection.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE query = 'LISTEN portal_jobs' AND pid <> pg_backend_pid()")
        connection.commit()
    time.sleep(1.5)  # it noticed, dropped that connection and listens on another
    committed = _commit_jobs(web, ["after-the-break"], 0)
    thread.join(10)
    assert claimed["job"].payload["key"] == "after-the-break"
    assert claimed["at"] - committed < 0.4, claimed["at"] - committed  # woken, not found at a look a second later


@pytest.mark.postgres
def test_jobs_committed_together_start_together_each_thread_listening_before_it_looks(two_processes):
    worker_queue, web = two_processes
    worker = Worker(platform=None, queue=worker_queue, threads=4, poll_seconds=2)
    thread = _running(worker)
    try:
        time.sleep(1.3)  # all four waiting, between the in-process waiters' looks
        for trial in range(3):
            keys = [uuid.uuid4().hex for _ in range(3)]
            committed = _commit_jobs(web, keys, 1.0)
            deadline = time.monotonic() + 3
            while not all(key in STARTED for key in keys) and time.monotonic() < deadline:
                time.sleep(0.01)
            late = [round(STARTED.get(key, deadline) - committed, 3) for key in keys]
            assert max(late) < 0.3, (trial, late)  # each handed the listening on, none left to its next look
            time.sleep(1.3)
    finally:
        _stopped(worker, thread)


@pytest.mark.postgres
def test_a_failed_checkout_for_the_listening_leaves_it_free_for_the_next_wait(two_processes, monkeypatch):
    from sqlalchemy.exc import OperationalError

    worker_queue, web = two_processes
    real = worker_queue._engine.connect
    calls = {"n": 0}

    def connect_failing_once():
        calls["n"] += 1
        if calls["n"] == 2:  # the LISTEN's checkout, after the first look's
            raise OperationalError("connect", {}, Exception("the server is restarting"))
        return real()

    monkeypatch.setattr(worker_queue._engine, "connect", connect_failing_once)
    assert worker_queue.claim(lease_seconds=30, wait_seconds=0.5) is None
    assert not worker_queue._listener.locked()
    claimed = {}
    thread = threading.Thread(target=lambda: claimed.update(job=worker_queue.claim(lease_seconds=30, wait_seconds=5),
                                                            at=time.monotonic()))
    thread.start()
    time.sleep(0.3)  # it listens again
    committed = _commit_jobs(web, ["after-the-failed-checkout"], 0)
    thread.join(10)
    assert claimed["job"].payload["key"] == "after-the-failed-checkout"
    assert claimed["at"] - committed < 0.3, claimed["at"] - committed


def test_a_queue_failure_in_one_thread_leaves_every_thread_running_jobs(queue, monkeypatch):
    from sqlalchemy.exc import OperationalError

    real, failed = queue.claim, []

    def claim_failing_once_in_a_helper(**kwargs):
        if threading.current_thread().name.startswith("portal-jobs-") and not failed:
            failed.append(threading.current_thread().name)
            raise OperationalError("SELECT", {}, Exception("terminating connection due to administrator command"))
        return real(**kwargs)

    monkeypatch.setattr(queue, "claim", claim_failing_once_in_a_helper)
    outcomes: list[str] = []
    worker = Worker(platform=None, queue=queue, threads=2, poll_seconds=0.3,
                    on_outcome=lambda _name, outcome: outcomes.append(outcome))
    thread = _running(worker)
    try:
        deadline = time.monotonic() + 5
        while not failed and time.monotonic() < deadline:
            time.sleep(0.05)
        key = uuid.uuid4().hex  # two jobs that finish only when both threads run them at once
        for _ in range(2):
            queue.enqueue("test.meet", {"key": key, "of": 2})
        deadline = time.monotonic() + 15
        while len(outcomes) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        _stopped(worker, thread)
    assert failed and outcomes == ["done", "done"]
