"""The job queue's contract, passed by both implementations: the database table (SQLite and
PostgreSQL) and SQS (moto's server on loopback). A job enqueued is claimed once, with its
payload; completed, it is gone; retried, it comes back after its delay with the attempt
counted; returned, it is claimable at once; buried, it is in the dead-letter queue; a claim
whose lease ran out (its worker died) is claimable again."""
from __future__ import annotations

import time

import pytest


pytestmark = pytest.mark.slow


def claim_soon(queue, seconds: float = 5.0):
    """A claim, waiting a little: SQS (and a delay) make a job visible only after a moment."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = queue.claim(lease_seconds=30, wait_seconds=1)
        if job is not None:
            return job
    return None


def test_a_job_is_claimed_once_with_its_payload_and_gone_when_complete(queue):
    queue.enqueue("outbox.deliver", {"batch": 1, "text": "保单"})
    job = claim_soon(queue)
    assert (job.name, job.payload, job.attempts) == ("outbox.deliver", {"batch": 1, "text": "保单"}, 1)
    assert queue.claim(lease_seconds=30) is None  # leased: nobody else gets it
    queue.complete(job)
    assert queue.depth() == {"ready": 0, "dead": 0}
    assert claim_soon(queue, 1.5) is None


def test_a_retried_job_comes_back_after_its_delay_with_the_attempt_counted(queue):
    queue.enqueue("billing.send_refunds", {})
    first = claim_soon(queue)
    queue.retry(first, delay_seconds=2, error="RuntimeError: provider down")
    assert queue.claim(lease_seconds=30) is None  # not before its delay
    assert queue.depth()["ready"] == 1
    second = claim_soon(queue, 6)
    assert second is not None and second.attempts == 2
    queue.complete(second)


def test_a_returned_job_is_claimable_at_once(queue):
    queue.enqueue("payouts.release_held", {})
    job = claim_soon(queue)
    queue.release(job)
    again = claim_soon(queue, 3)
    assert again is not None and again.name == "payouts.release_held"
    queue.complete(again)


def test_a_buried_job_is_in_the_dead_letter_queue_and_no_longer_claimed(queue):
    queue.enqueue("outbox.deliver", {"poison": True})
    job = claim_soon(queue)
    queue.bury(job, error="ValueError: cannot be done")
    assert claim_soon(queue, 1.5) is None
    assert queue.depth() == {"ready": 0, "dead": 1}


def test_a_claim_whose_lease_ran_out_is_claimable_again(queue):
    queue.enqueue("outbox.deliver", {})
    first = queue.claim(lease_seconds=1, wait_seconds=3)
    while first is None:
        first = queue.claim(lease_seconds=1, wait_seconds=1)
    time.sleep(1.5)  # the worker that took it died without a word
    second = claim_soon(queue)
    assert second is not None and second.attempts == 2
    queue.complete(second)
    queue.complete(first)  # the dead worker's late word changes nothing (database: its lease is gone)
    assert queue.depth()["ready"] == 0


def test_the_queue_answers_a_ping(queue):
    queue.ping()
