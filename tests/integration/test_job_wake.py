"""On PostgreSQL a worker waiting for a job in another process is woken by the commit that
wrote it (NOTIFY in that transaction, LISTEN while waiting) instead of finding it at its next
look a second later; a transaction rolled back wakes nobody. Two queues on two engines stand
for the web process and ``portal worker``."""
from __future__ import annotations

import threading
import time

import pytest


pytestmark = pytest.mark.postgres


def _waiting_claim(queue, seconds: float):
    claimed = {}

    def wait():
        claimed["job"] = queue.claim(lease_seconds=30, wait_seconds=seconds)
        claimed["at"] = time.monotonic()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.3)  # it looked, found nothing and waits
    return thread, claimed


def _write_job(queue, *, commit: bool) -> float:
    with queue._engine.connect() as connection:
        queue.enqueue_rows([queue.row("outbox.deliver", {"batch": 7})], connection=connection)
        queue.announce(connection=connection)
        (connection.commit if commit else connection.rollback)()
    return time.monotonic()


def test_a_commit_that_wrote_a_job_wakes_the_worker_waiting_in_another_process(two_processes):
    worker, web = two_processes
    thread, claimed = _waiting_claim(worker, 5)
    committed = _write_job(web, commit=True)
    thread.join(10)
    assert claimed["job"].payload == {"batch": 7}
    # Without the wake its next look would be ~0.7 s after the commit (a look a second).
    assert claimed["at"] - committed < 0.4, claimed["at"] - committed


def test_a_rolled_back_transaction_wakes_nobody_and_the_listening_connection_goes_back_quiet(two_processes):
    worker, web = two_processes
    thread, claimed = _waiting_claim(worker, 1.2)
    _write_job(web, commit=False)
    thread.join(10)
    assert claimed["job"] is None
    pooled = [worker._engine.connect() for _ in range(worker._engine.pool.checkedin())]  # the one it listened on too
    try:
        assert len(pooled) >= 2  # its looks' and its listening connection
        assert [c.exec_driver_sql("SELECT count(*) FROM pg_listening_channels()").scalar() for c in pooled] == [0] * len(pooled)
    finally:
        for connection in pooled:
            connection.close()


def test_a_commit_whose_audit_head_carries_the_wake_wakes_the_worker_and_sends_no_notify_of_its_own(two_processes):
    from datetime import datetime, timezone

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from iaas.keyring import LocalKeyRing
    from paas.audit.chain import append_pending
    from paas.audit.models import AuditEntry

    worker, web = two_processes
    assert web.wake_channel == "portal_jobs"
    sent = []
    event.listen(web._engine, "before_cursor_execute", lambda c, cur, statement, *a: sent.append(statement))
    thread, claimed = _waiting_claim(worker, 5)
    with Session(web._engine) as session:
        entry = AuditEntry(occurred_at=datetime.now(timezone.utc), actor_type="system", actor_id=None,
                           actor_label="system", action="test.woken", subject=None, detail="{}", address=None)
        append_pending(session, [entry], LocalKeyRing.generate(), wake=web.wake_channel,
                       alongside=(web.table, [web.row("outbox.deliver", {"batch": 8})]))
        session.commit()
    committed = time.monotonic()
    thread.join(10)
    assert claimed["job"].payload == {"batch": 8}
    assert claimed["at"] - committed < 0.4, claimed["at"] - committed
    assert not any(statement.lstrip().upper().startswith("NOTIFY") for statement in sent), sent
    assert any("pg_notify" in statement for statement in sent), sent
