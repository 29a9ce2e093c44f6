"""The cycle's notices recorded in bulk on PostgreSQL (COPYed straight into the table) by two
runs over the same events at once, with real commits and threads: the second waits for the
first, then skips what it made - no error, one notice per event, its deliveries once - and a
run after both makes nothing."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from paas.notices import records
from paas.notices.bulk import event_rows, raise_for_rows
from paas.notices.models import Notice, NoticeDelivery, PolicyEvent
from paas.policies.models import Policy
from portal.demo.bulk import bulk_seed
from tests.postgres_support import committing_platform, migrated_engine

pytestmark = pytest.mark.postgres

POLICIES = 240


@pytest.fixture
def platform(postgres_databases):
    for engine in migrated_engine(postgres_databases, pool_size=4):
        platform = committing_platform(engine)
        bulk_seed(platform, engine, policies=POLICIES, progress=lambda _line: None)
        with platform.unit_of_work() as uow:
            rows = event_rows(Policy.id, "premium_due", platform.clock.today(),
                              {"amount": "1200.00", "due_date": "2027-01-01"})
            assert raise_for_rows(uow.session, rows, platform.clock.now()) == POLICIES
            uow.commit()
        yield platform


def record(uow) -> list[int]:
    return records.record_notices(uow.session, uow.keyring, uow.clock.now(),
                                  PolicyEvent.event_date == uow.clock.today())


def counts(platform) -> tuple[int, int, int]:
    with platform.unit_of_work() as uow:
        return (uow.session.scalar(select(func.count(Notice.id))),
                uow.session.scalar(select(func.count(func.distinct(Notice.event_id)))),
                uow.session.scalar(select(func.count(NoticeDelivery.id))))


def waiting_on_a_lock(platform, backend: int) -> bool:
    with platform.unit_of_work() as uow:
        return uow.session.scalar(text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
                                  {"pid": backend}) is True


def test_two_runs_at_once_make_each_notice_once_and_the_later_skips(platform, monkeypatch):
    monkeypatch.setattr(records, "CHUNK", 50)  # several chunks: the first waits, the later ones meet committed rows
    second: dict = {}

    def run_second():
        with platform.unit_of_work() as uow:
            second["backend"] = uow.session.scalar(text("SELECT pg_backend_pid()"))
            second["made"] = record(uow)
            uow.commit()

    with platform.unit_of_work() as first:
        made = record(first)
        assert len(made) == POLICIES
        thread = threading.Thread(target=run_second)
        thread.start()
        deadline = time.monotonic() + 30
        while "backend" not in second or not waiting_on_a_lock(platform, second["backend"]):
            assert time.monotonic() < deadline and thread.is_alive(), "the second run never waited for the first"
            time.sleep(0.02)
        first.commit()
    thread.join(timeout=60)
    assert not thread.is_alive() and second["made"] == []
    notices, events, deliveries = counts(platform)
    assert notices == events == POLICIES and deliveries >= POLICIES
    with platform.unit_of_work() as uow:
        assert record(uow) == []
        uow.commit()
    assert counts(platform) == (notices, events, deliveries)


def test_the_nights_facts_query_reads_what_the_per_event_query_reads(platform):
    """The bulk facts (the account joined, the choices as one hashed IN) are the per-event
    query's rows, for owners with and without a sign-in account and a per-type choice."""
    from datetime import datetime, timezone

    from sqlalchemy.dialects import postgresql

    from paas.customers.models import Customer
    from paas.notices.models import NoticePreference
    from paas.security.models import Account

    with platform.unit_of_work() as uow:
        session = uow.session
        owners = list(session.scalars(select(Customer.id).order_by(Customer.id).limit(3)))
        for customer_id in owners[:2]:
            session.add(NoticePreference(customer_id=customer_id, notice_type="premium_due", channel="sms", wanted=False,
                                         updated_at=datetime(2026, 12, 1, tzinfo=timezone.utc)))
        for customer_id, locale in ((owners[1], "en"), (owners[2], "zh")):  # the others have no sign-in account
            session.add(Account(email=f"owner{customer_id}@example.com", password_hash="x", display_name="Owner",
                                customer_id=customer_id, locale=locale,
                                created_at=datetime(2026, 12, 1, tzinfo=timezone.utc)))
        session.flush()
        ids = list(session.scalars(select(PolicyEvent.id)))
        per_event = sorted(tuple(row) for row in session.execute(records._facts_query("postgresql"), {"event_ids": ids}))
        compiled = records._bulk_facts_query().compile(dialect=postgresql.dialect())
        with session.connection().connection.driver_connection.cursor() as cursor:
            bulk = sorted(cursor.execute(str(compiled), compiled.construct_params({"event_ids": ids})).fetchall())
        assert len(per_event) == POLICIES
        assert bulk == per_event
        assert {row[-1] for row in bulk} == {True, False}  # some owners with a choice, most without
        locale = records.EventFacts._fields.index("locale")
        assert {row[locale] for row in bulk} == {None, "en", "zh"}
        uow.rollback()
