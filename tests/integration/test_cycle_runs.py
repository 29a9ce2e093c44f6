"""Whole runs of the cycle over a bulk-seeded book (with elections: automatic premium loans,
dividend options, loans, money held): a rerun changes nothing, two partitions do what one
run does, and forty nights in a row keep every policy where its rules say. The cycle owns
its transactions, so each test gets fresh databases (SQLite files, PostgreSQL databases)."""
from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from iaas.clock import FixedClock
from iaas.database import create_database_engine
from iaas.ratelimit import RateLimiter
from paas.cycle.batch import CycleOptions, Partition
from paas.cycle.runner import run_cycle
from paas.platform import Platform
from portal import migrate
from portal.demo.bulk import bulk_seed
from tests.conftest import FAST_SECURITY, POSTGRES_ADMIN_URL, TEST_NOW
from portal.demo.bulk.elections import add_elections
from tests.cycle_support import differences, snapshot

SEEDED_ON = TEST_NOW.date()
OPTIONS = CycleOptions(batch_size=60)


def platform_on(engine: Engine, keyring) -> Platform:
    return Platform(session_factory=lambda: Session(engine, expire_on_commit=False), clock=FixedClock(TEST_NOW),
                    keyring=keyring, rate_limiter=RateLimiter("memory://"), gateways={}, security=FAST_SECURITY)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def books(request, tmp_path, keyring):
    """``books(n)``: n databases holding the same seeded book, as platforms."""
    engines: list[Engine] = []

    def create(count: int) -> list[Platform]:
        if request.param == "sqlite":
            urls = [f"sqlite:///{tmp_path}/book-{i}.sqlite3" for i in range(count)]
        else:
            databases = request.getfixturevalue("postgres_databases")
            urls = [databases.create() for _ in range(count)]
        first = create_database_engine(urls[0])
        migrate.upgrade(first)
        bulk_seed(platform_on(first, keyring), first, policies=400, customers=160, progress=lambda _l: None)
        with first.begin() as connection:
            add_elections(connection, TEST_NOW.date(), mode_changes=50)
        first.dispose()
        for url in urls[1:]:
            _copy(urls[0], url)
        engines.extend(create_database_engine(url) for url in urls)
        return [platform_on(engine, keyring) for engine in engines[-count:]]

    yield create
    for engine in engines:
        engine.dispose()


def _copy(source: str, target: str) -> None:
    if source.startswith("sqlite"):
        shutil.copy(source.removeprefix("sqlite:///"), target.removeprefix("sqlite:///"))
        return
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        name, template = target.rsplit("/", 1)[1], source.rsplit("/", 1)[1]
        admin.execute(f'DROP DATABASE "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def state(platform: Platform) -> dict:
    with platform.unit_of_work() as uow:
        return snapshot(uow.session.connection())


def audit_entries(platform: Platform) -> int:
    with platform.unit_of_work() as uow:
        return uow.session.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'cycle.step'"))


def test_a_rerun_changes_nothing(books):
    [platform] = books(1)
    day = SEEDED_ON + timedelta(days=45)
    first = run_cycle(platform, day, options=OPTIONS)
    after = state(platform)
    assert sum(report.touched for report in first) > 50 and audit_entries(platform) == 12  # one per step run
    assert {r.status for r in run_cycle(platform, day, options=OPTIONS)} == {"skipped", "not run"}
    again = run_cycle(platform, day, options=OPTIONS, again=True)
    assert {r.step: r.touched for r in again if r.status == "done"} == {
        "fund_orders": 0, "premium_mode": 0, "premium_due": 0, "grace": 0, "grace_warning": 0, "anniversaries": 0,
        "statements": 0, "maturities": 0, "lapse": 0, "notices": 0, "claim_reminders": 0, "open_requests": 0}
    assert differences(after, state(platform)) == {}
    assert audit_entries(platform) == 24


def test_two_partitions_do_what_one_run_does(books):
    whole, parts = books(2)
    day = SEEDED_ON + timedelta(days=45)
    run_cycle(whole, day, options=OPTIONS)
    run_cycle(parts, day, options=OPTIONS, partition=Partition(2, 2))
    run_cycle(parts, day, options=OPTIONS, partition=Partition(1, 2))
    assert differences(state(whole), state(parts)) == {}


# After each night none of these may remain: the rule that should have moved them ran.
OVERDUE = {
    "in force with a due passed unpaid": "status = 'in_force' AND premium_mode <> 'single' AND paid_to_date < :day"
                                         " AND (premium_end_date IS NULL OR paid_to_date < premium_end_date)",
    "in grace past its grace period": "status = 'grace' AND paid_to_date < :grace_start",
    "covered past its expiry date": "status IN ('in_force', 'grace', 'paid_up') AND expiry_date <= :day",
}


def test_forty_nights_in_a_row(books):
    [platform] = books(1)
    kinds: set[str] = set()
    for night in range(1, 41):
        day = SEEDED_ON + timedelta(days=night)
        run_cycle(platform, day, options=OPTIONS)
        with platform.unit_of_work() as uow:
            for what, where in OVERDUE.items():
                left = uow.session.scalar(text(f"SELECT count(*) FROM policies WHERE {where}"),
                                          {"day": day, "grace_start": day - timedelta(days=60)})
                assert left == 0, f"{day}: {left} policies {what}"
            kinds |= set(uow.session.scalars(text("SELECT DISTINCT type FROM policy_events")))
    assert {"premium_due", "grace_started", "grace_warning", "lapsed", "automatic_premium_loan", "premium_received",
            "dividend_declared", "loan_interest", "premium_mode_changed"} <= kinds
