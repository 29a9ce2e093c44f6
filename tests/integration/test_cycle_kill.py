"""THE PROOF: the nightly cycle killed (SIGKILL) halfway and run again gives exactly the result
of one clean run.

20,000 bulk-seeded policies (with elections: automatic premium loans, every dividend option,
loans, money held) in a throwaway PostgreSQL database, copied (CREATE DATABASE ... TEMPLATE)
so two identical books exist. The first runs the day cleanly. On the second ``portal cycle
run`` is started as a process and SIGKILLed three times - while the grace step (set-based SQL)
is part way, then (resumed) in the middle of the anniversaries (dividends, benefits and loan
interest worked out per policy) and in the middle of the lapse step (automatic premium loans) -
then run to completion. Every table the cycle writes must then be the
same in both, row for row (only instants and the ids of new rows aside)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from iaas.clock import FixedClock
from iaas.database import create_database_engine
from iaas.ratelimit import RateLimiter
from paas.cycle.batch import CycleOptions
from paas.cycle.runner import run_cycle
from paas.platform import Platform
from tests.conftest import FAST_SECURITY, TEST_NOW
from tests.cycle_support import differences, snapshot, twin_seeded_books

pytestmark = pytest.mark.postgres

POLICIES = 20_000
BATCH = 500  # 40 batches a step
DAY = TEST_NOW.date() + timedelta(days=45)  # grace, lapses and loans for a sixth of the book
PORTAL = Path(sys.executable).parent / "portal"
# (step, committed batches) at which the run is killed, one kill per run
KILLS = (("grace", 12), ("anniversaries", 15), ("lapse", 20))


@pytest.fixture
def twin_books(postgres_databases, keyring):
    """Two PostgreSQL databases holding the same seeded book: (url, url)."""
    return twin_seeded_books(postgres_databases, keyring, policies=POLICIES, mode_changes=50)


def run_cycle_process(url: str, data_dir: Path, *, until: tuple[str, int] | None = None) -> str:
    """``portal cycle run`` as a process: SIGKILLed once ``until`` (step, committed batches)
    is reached, else run to its end; returns what it printed."""
    env = {**os.environ, "DATABASE_URL": url, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_ENV": "test"}
    log = data_dir / f"cycle-{time.monotonic_ns()}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(PORTAL), "cycle", "run", "--date", DAY.isoformat(), "--batch-size", str(BATCH)],
            env=env, stdout=out, stderr=subprocess.STDOUT)
        if until is None:
            assert process.wait(timeout=600) == 0, log.read_text()
        else:
            kill_when(process, url, *until, log)
    return log.read_text()


def committed_batches(url: str, step: str) -> int:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute("SELECT last_key, status FROM cycle_runs WHERE step = %s", (step,)).fetchone()
    return 0 if row is None else row[0] // BATCH + (1000 if row[1] == "done" else 0)


def kill_when(process: subprocess.Popen, url: str, step: str, batches: int, log: Path) -> None:
    deadline = time.monotonic() + 300
    while committed_batches(url, step) < batches:
        assert process.poll() is None, f"the cycle ended before it could be killed:\n{log.read_text()}"
        assert time.monotonic() < deadline, "the cycle made no progress"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_killed_three_times_and_rerun_equals_one_clean_run(twin_books, keyring, tmp_path):
    clean_url, killed_url = twin_books
    engine = create_database_engine(clean_url)
    platform = Platform(session_factory=lambda: Session(engine, expire_on_commit=False), clock=FixedClock(TEST_NOW),
                        keyring=keyring, rate_limiter=RateLimiter("memory://"), gateways={}, security=FAST_SECURITY)
    reports = run_cycle(platform, DAY, options=CycleOptions(batch_size=BATCH))
    assert min(r.touched for r in reports if r.step in ("grace", "lapse", "anniversaries")) > 10

    for step, batches in KILLS:
        run_cycle_process(killed_url, tmp_path, until=(step, batches))
        with psycopg.connect(killed_url) as connection:  # killed part way: that step is not finished
            status, last_key = connection.execute(
                "SELECT status, last_key FROM cycle_runs WHERE step = %s", (step,)).fetchone()
        assert status == "running" and 0 < last_key < POLICIES
    output = run_cycle_process(killed_url, tmp_path)
    assert "premium_due     skipped" in output and "lapse           done" in output

    killed_engine = create_database_engine(killed_url)
    try:
        with engine.connect() as clean, killed_engine.connect() as killed:
            assert differences(snapshot(clean), snapshot(killed)) == {}
            assert killed.scalar(text("SELECT count(*) FROM policy_events")) > 1000
            # one audit entry per step, however many times the run was started
            steps = killed.execute(text("SELECT subject FROM audit_log WHERE action = 'cycle.step'")).scalars().all()
            assert len(steps) == len(set(steps)) >= 6
    finally:
        killed_engine.dispose()
        engine.dispose()
    verified = subprocess.run([str(PORTAL), "audit", "verify"], capture_output=True, text=True,
                              env={**os.environ, "DATABASE_URL": killed_url, "PORTAL_DATA_DIR": str(tmp_path)})
    assert verified.returncode == 0 and "intact" in verified.stdout
