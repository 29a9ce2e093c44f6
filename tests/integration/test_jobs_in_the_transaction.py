"""A job is part of the change that causes it: on the database queue it is written in the same
transaction (rolled back with it, once per transaction however often it is asked for); mail
and SMS queued by a request are delivered by a worker, not by the request; deliveries are
counted by channel and outcome; a readiness failure is logged as JSON with the request id."""
from __future__ import annotations

import dataclasses
import io
import json
import logging

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from iaas.jobs import DatabaseJobQueue
from iaas.jobs.database import JOBS
from paas.jobs.registry import handler_for
from paas.messaging import outbox
from paas.messaging.models import OutboxMessage
from portal.json_logs import JsonFormatter


@pytest.fixture
def queued_platform(platform, engine):
    return dataclasses.replace(platform, jobs=DatabaseJobQueue(engine))


def jobs_seen(uow) -> list[tuple]:
    return uow.session.execute(select(JOBS.c.name, JOBS.c.status)).all()


def queue_sms(uow, body="保单已更新") -> None:
    outbox.queue(uow, channel="sms", kind="test", recipient="+8613800138000", body=body, locale="zh")


def test_a_rolled_back_change_leaves_no_job_and_a_committed_one_leaves_one(queued_platform, gateway):
    with queued_platform.unit_of_work() as uow:
        queue_sms(uow)
        assert jobs_seen(uow) == []  # written by the commit, with the transaction's other jobs
        uow.rollback()
        uow.commit()
        assert jobs_seen(uow) == []
    with queued_platform.unit_of_work() as uow:
        queue_sms(uow, "one")
        queue_sms(uow, "two")  # two messages, one delivery job
        uow.commit()
    with queued_platform.unit_of_work() as uow:
        assert jobs_seen(uow) == [("outbox.deliver", "ready")]
        assert gateway.sent == []  # nothing went out in the request's thread


def test_a_transactions_jobs_are_written_by_its_commit_with_its_audit_entries_and_not_those_rolled_back(
        queued_platform):
    from paas.audit import chain
    from paas.audit.models import AuditEntry

    with queued_platform.unit_of_work() as uow:
        chain.record(uow, chain.SYSTEM, "test.kept")
        uow.enqueue_job("notices.deliver_made", {"notice_id": 1})
        mark = uow.audit_mark()
        with uow.session.begin_nested() as savepoint:  # as the night's careful pass does for one policy
            chain.record(uow, chain.SYSTEM, "test.dropped")
            uow.enqueue_job("notices.deliver_made", {"notice_id": 2})
            savepoint.rollback()
        uow.audit_reset(mark)
        queue_sms(uow)
        uow.commit()
    with queued_platform.unit_of_work() as uow:
        payloads = uow.session.execute(select(JOBS.c.name, JOBS.c.payload).order_by(JOBS.c.id)).all()
        assert payloads == [("notices.deliver_made", '{"notice_id": 1}'), ("outbox.deliver", "{}")]
        assert uow.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("test.%"))).all() == ["test.kept"]
        uow.enqueue_job("notices.deliver_made", {"notice_id": 2})  # asked again in a later transaction: written
        uow.commit()
        assert len(jobs_seen(uow)) == 3


def test_many_jobs_of_one_transaction_are_all_written_beside_its_audit_entries(queued_platform):
    from paas.audit import chain
    from paas.unit_of_work import JOBS_IN_THE_CHAIN

    for count in (JOBS_IN_THE_CHAIN, JOBS_IN_THE_CHAIN + 5):  # in the chain's statement, then by their own
        with queued_platform.unit_of_work() as uow:
            uow.session.execute(JOBS.delete())
            chain.record(uow, chain.SYSTEM, "test.many")
            for n in range(count):
                uow.enqueue_job("notices.deliver_made", {"notice_id": n})
            uow.commit()
            assert uow.session.scalar(select(func.count()).select_from(JOBS)) == count


def test_the_delivery_job_sends_what_the_request_queued_and_counts_it(queued_platform, gateway):
    with queued_platform.unit_of_work() as uow:
        queue_sms(uow)
        uow.commit()
    sent_before = REGISTRY.get_sample_value("portal_deliveries_total", {"channel": "sms", "outcome": "sent"}) or 0
    handler_for("outbox.deliver")(queued_platform, {})  # what a worker runs (tests/.../test_worker_process.py)
    assert [envelope.body for envelope in gateway.sent] == ["保单已更新"]
    assert REGISTRY.get_sample_value("portal_deliveries_total", {"channel": "sms", "outcome": "sent"}) == sent_before + 1
    with queued_platform.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent")) == 1


class BrokenQueue:
    transactional = False

    def ping(self, *, connection=None) -> None:
        raise ConnectionError("sqs unreachable")

    def depth(self) -> dict[str, int]:
        raise ConnectionError("sqs unreachable")


def test_readiness_fails_on_the_queue_and_says_so_in_a_json_log_line_with_the_request_id(platform, settings):
    from portal.app import create_app

    app = create_app(settings, platform=dataclasses.replace(platform, jobs=BrokenQueue()))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("paas.readiness")
    logger.addHandler(handler)
    try:
        response = app.test_client().get("/readyz", headers={"X-Request-Id": "req-42"})
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 503 and response.get_json()["failing"] == ["queue"]
    assert response.headers["X-Request-Id"] == "req-42"
    line = json.loads(stream.getvalue().splitlines()[0])
    assert line["request_id"] == "req-42" and line["level"] == "error" and "job queue" in line["message"]
    assert "sqs unreachable" in line["exception"]
    metrics = app.test_client().get("/metrics")  # answers even when the queue does not
    assert metrics.status_code == 200 and b'portal_http_requests_total{method="GET",route="/readyz",status="503"}' in metrics.data


def test_in_production_metrics_are_not_served_through_the_load_balancer(platform, tmp_path):
    from portal.app import create_app
    from portal.config import Settings

    production = Settings.from_env({"PORTAL_ENV": "production", "PORTAL_DATA_DIR": str(tmp_path / "var"),
                                    "PORTAL_SECRET_KEY": "x" * 40, "PORTAL_PAYMENTS": "off"})
    client = create_app(production, platform=platform).test_client()
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/metrics").status_code == 200  # a scrape from inside the network


def test_one_delivery_run_does_the_work_of_every_delivery_job_waiting_before_it(queued_platform, gateway, monkeypatch):
    for text in ("one", "two", "three"):  # three requests, each with its own delivery job
        with queued_platform.unit_of_work() as uow:
            queue_sms(uow, text)
            uow.commit()
    real = outbox.deliver_pending

    def deliver_then_a_request_commits(platform, **kwargs):
        sent = real(platform, **kwargs)
        with platform.unit_of_work() as uow:  # committed after the run looked: its job must stay
            queue_sms(uow, "four")
            uow.commit()
        return sent

    monkeypatch.setattr(outbox, "deliver_pending", deliver_then_a_request_commits)
    handler_for("outbox.deliver")(queued_platform, {})
    assert sorted(envelope.body for envelope in gateway.sent) == ["one", "three", "two"]
    with queued_platform.unit_of_work() as uow:
        assert jobs_seen(uow) == [("outbox.deliver", "ready")]  # the fourth message's, not the first three
    monkeypatch.setattr(outbox, "deliver_pending", real)
    handler_for("outbox.deliver")(queued_platform, {})
    assert sorted(envelope.body for envelope in gateway.sent) == ["four", "one", "three", "two"]
    with queued_platform.unit_of_work() as uow:
        assert jobs_seen(uow) == []


def test_a_delivery_run_that_fails_leaves_the_jobs_it_covered_waiting(queued_platform, gateway, monkeypatch):
    from paas.messaging import optout

    with queued_platform.unit_of_work() as uow:
        queue_sms(uow, "one")
        uow.commit()

    def database_gone(*_args, **_kwargs):
        raise RuntimeError("the database went away mid-batch")

    monkeypatch.setattr(optout, "suppressed", database_gone)
    with pytest.raises(RuntimeError, match="mid-batch"):
        handler_for("outbox.deliver")(queued_platform, {})
    with queued_platform.unit_of_work() as uow:  # the job goes with the batch's commit, or not at all
        assert jobs_seen(uow) == [("outbox.deliver", "ready")]
        assert uow.session.scalar(select(OutboxMessage.status)) == "pending"
    monkeypatch.undo()
    handler_for("outbox.deliver")(queued_platform, {})
    assert [envelope.body for envelope in gateway.sent] == ["one"]
    with queued_platform.unit_of_work() as uow:
        assert jobs_seen(uow) == []


class _Refused(Exception):
    pass


def test_a_savepoint_rolled_back_by_an_error_forgets_its_jobs_entries_and_actions(queued_platform, platform):
    # uow.savepoint(), as the held payouts' release and the payments use it: an error leaving
    # the block takes what was asked for inside it with the savepoint, on the database queue
    # and on a queue that sends after the commit (SQS) alike.
    from paas.audit import chain
    from paas.audit.models import AuditEntry

    class SentAfterCommit:
        transactional = False

        def __init__(self):
            self.sent = []

        def enqueue(self, name, payload, *, delay_seconds=0):
            self.sent.append((name, payload))

    with queued_platform.unit_of_work() as uow:
        chain.record(uow, chain.SYSTEM, "test.kept")
        with pytest.raises(_Refused):
            with uow.savepoint():
                chain.record(uow, chain.SYSTEM, "test.dropped")
                uow.enqueue_job("notices.deliver_made", {"notice_id": 2})
                raise _Refused
        with uow.savepoint():
            uow.enqueue_job("notices.deliver_made", {"notice_id": 3})
        uow.enqueue_job("notices.deliver_made", {"notice_id": 2})  # asked again outside: written once
        uow.commit()
    with queued_platform.unit_of_work() as uow:
        payloads = uow.session.execute(select(JOBS.c.payload).order_by(JOBS.c.id)).scalars().all()
        assert payloads == ['{"notice_id": 3}', '{"notice_id": 2}']
        assert uow.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("test.%"))).all() == ["test.kept"]
    sqs = SentAfterCommit()
    with dataclasses.replace(platform, jobs=sqs).unit_of_work() as uow:
        with pytest.raises(_Refused):
            with uow.savepoint():
                uow.enqueue_job("notices.deliver_made", {"notice_id": 4})
                raise _Refused
        uow.enqueue_job("notices.deliver_made", {"notice_id": 4})  # asked again outside: sent once
        uow.commit()
    assert sqs.sent == [("notices.deliver_made", {"notice_id": 4})]
