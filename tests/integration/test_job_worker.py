"""The worker on both queues: a failing job is retried with an exponential backoff and, at the
poison limit, lands in the dead-letter queue; one that recovers is done; an unknown job name
is poison too (after the same attempts: a newer worker may know it)."""
from __future__ import annotations

import time

import pytest

from paas.jobs.worker import RetryPolicy, Worker
from tests.job_support import FAILURES

pytestmark = pytest.mark.slow
NO_WAIT = RetryPolicy(max_attempts=3, base_delay=0, jitter=0)


def drain(worker: Worker, seconds: float = 8.0) -> list[str]:
    """Run jobs until the queue holds nothing ready (SQS shows a message again a moment later)."""
    outcomes: list[str] = []
    worker.on_outcome = lambda _name, outcome: outcomes.append(outcome)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.queue.depth()["ready"]:
        worker.run_one(wait_seconds=1)
    return outcomes


def test_the_backoff_doubles_per_attempt_up_to_its_cap():
    policy = RetryPolicy(base_delay=2, max_delay=60, jitter=0)
    assert [policy.delay(n) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    jittered = RetryPolicy(base_delay=10, jitter=0.1)
    assert all(10 <= jittered.delay(1) <= 11 for _ in range(50))


def test_a_job_that_fails_twice_then_works_is_done_on_the_third_attempt(queue):
    queue.enqueue("test.flaky", {"key": f"recovers-{id(queue)}", "fail": 2})
    outcomes = drain(Worker(platform=None, queue=queue, retry=NO_WAIT))
    assert outcomes == ["retried", "retried", "done"]
    assert FAILURES[f"recovers-{id(queue)}"] == -1
    assert queue.depth() == {"ready": 0, "dead": 0}


def test_a_job_that_always_fails_lands_in_the_dead_letter_queue_at_the_limit(queue):
    queue.enqueue("test.flaky", {"key": f"poison-{id(queue)}", "fail": 99})
    outcomes = drain(Worker(platform=None, queue=queue, retry=NO_WAIT))
    assert outcomes == ["retried", "retried", "dead"]
    assert queue.depth() == {"ready": 0, "dead": 1}


def test_a_job_no_handler_knows_is_poison_after_the_limit(queue):
    queue.enqueue("no.such.job", {})
    assert drain(Worker(platform=None, queue=queue, retry=NO_WAIT)) == ["retried", "retried", "dead"]
    assert queue.depth()["dead"] == 1


def test_a_retry_waits_for_its_backoff(queue):
    queue.enqueue("test.flaky", {"key": f"backoff-{id(queue)}", "fail": 1})
    worker = Worker(platform=None, queue=queue, retry=RetryPolicy(base_delay=2, jitter=0))
    assert worker.run_one(wait_seconds=5)  # fails: back in 2 s
    failed_at = time.monotonic()
    while not worker.run_one(wait_seconds=1):
        pass
    assert time.monotonic() - failed_at >= 1.5
    assert FAILURES[f"backoff-{id(queue)}"] == -1


def test_periodic_handlers_come_from_the_registry_with_their_intervals_overridable():
    from paas.jobs.registry import load_handlers
    from portal.jobs_wiring import periodic_tasks

    load_handlers()
    every = {task.job: task.every_seconds for task in periodic_tasks({"PORTAL_SWEEP_SECONDS": "5"})}
    assert every["payouts.release_held"] == 900 and every["outbox.deliver"] == 5 == every["billing.send_refunds"]


def test_a_long_job_keeps_its_claim_while_the_worker_lives(queue):
    """The heartbeat: a job running three times its lease is not handed to another worker."""
    import tempfile

    folder = tempfile.mkdtemp()
    queue.enqueue("test.slow", {"folder": folder, "seconds": 3.5})
    worker = Worker(platform=None, queue=queue, lease_seconds=1)
    outcomes = []
    worker.on_outcome = lambda _name, outcome: outcomes.append(outcome)
    import threading

    running = threading.Thread(target=lambda: worker.run_one(wait_seconds=5))
    running.start()
    time.sleep(2)
    assert queue.claim(lease_seconds=30) is None  # still held, past its first lease
    running.join()
    assert outcomes == ["done"] and queue.depth()["ready"] == 0
