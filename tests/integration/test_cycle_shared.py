"""THE PROOF for the shared night: three ``portal cycle share`` processes on PostgreSQL cut the
book into partitions claimed from the database, one of them SIGKILLed in the middle of a
partition (some of its batches committed, not all) - and every table the cycle writes is
then exactly as one clean single run of the same day left its twin book, row for row."""
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

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

POLICIES = 9_000
PARTITIONS = 3
BATCH = 100  # 30 batches per partition and step
DAY = TEST_NOW.date() + timedelta(days=45)  # grace, lapses and loans for a sixth of the book
PORTAL = Path(sys.executable).parent / "portal"
KILL_IN = "anniversaries"  # per-policy work: the step with the most to lose


@pytest.fixture
def twin_books(postgres_databases, keyring):
    return twin_seeded_books(postgres_databases, keyring, policies=POLICIES, mode_changes=30)


def start_sharer(url: str, data_dir: Path, name: str) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "DATABASE_URL": url, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_ENV": "test"}
    log = data_dir / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(PORTAL), "cycle", "share", "--date", DAY.isoformat(), "--partitions", str(PARTITIONS),
             "--batch-size", str(BATCH), "--lease-seconds", "4"], env=env, stdout=out, stderr=subprocess.STDOUT)
    return process, log


def mid_partition(url: str) -> list[tuple[str, str, int]]:
    """(partition, claimed by, last key) of the partitions of the kill step part way done:
    some of their batches committed (past the start of their range of ids), not all."""
    with psycopg.connect(url, autocommit=True) as connection:
        plan = connection.execute("SELECT last_key FROM cycle_runs WHERE step = 'shared_plan'").fetchone()
        if plan is None:
            return []
        rows = connection.execute(
            "SELECT partition, claimed_by, last_key FROM cycle_runs WHERE step = %s AND status = 'running'",
            (KILL_IN,)).fetchall()
    started = []
    for label, claimed_by, last_key in rows:
        number = int(label.split("/")[0])
        if last_key > plan[0] * (number - 1) // PARTITIONS:
            started.append((label, claimed_by, last_key))
    return started


def test_three_workers_one_killed_mid_partition_equal_one_clean_run(twin_books, keyring, tmp_path):
    clean_url, shared_url = twin_books
    engine = create_database_engine(clean_url)
    platform = Platform(session_factory=lambda: Session(engine, expire_on_commit=False), clock=FixedClock(TEST_NOW),
                        keyring=keyring, rate_limiter=RateLimiter("memory://"), gateways={}, security=FAST_SECURITY)
    reports = run_cycle(platform, DAY, options=CycleOptions(batch_size=BATCH))
    assert min(r.touched for r in reports if r.step in ("grace", "lapse", "anniversaries")) > 3

    workers = [start_sharer(shared_url, tmp_path, f"worker-{n}") for n in range(3)]
    by_pid = {str(process.pid): process for process, _log in workers}
    deadline = time.monotonic() + 300
    victim = None
    while victim is None:
        assert time.monotonic() < deadline, "no partition was caught part way"
        assert all(p.poll() is None for p, _ in workers), "a worker ended before the kill"
        for label, claimed_by, last_key in mid_partition(shared_url):
            pid = (claimed_by or "").rsplit(":", 1)[-1]
            if pid in by_pid:
                victim = (by_pid[pid], label, last_key)
                break
        time.sleep(0.005)
    process, label, last_key = victim
    process.send_signal(signal.SIGKILL)
    process.wait()

    try:
        for other, log in workers:
            if other is not process:
                assert other.wait(timeout=600) == 0, log.read_text()
                assert "The night is done" in log.read_text()
    finally:  # a failed worker must not leave the others running past the test
        for other, _log in workers:
            if other.poll() is None:
                other.kill()
                other.wait()

    shared_engine = create_database_engine(shared_url)
    try:
        with engine.connect() as clean, shared_engine.connect() as shared:
            assert differences(snapshot(clean), snapshot(shared)) == {}
            assert shared.scalar(text("SELECT count(*) FROM policy_events")) > 500
            # the killed worker's partition was resumed by another and finished
            taken_over = shared.execute(text("SELECT status, claimed_by, last_key FROM cycle_runs WHERE step = :s AND partition = :p"),
                                        {"s": KILL_IN, "p": label}).one()
            assert taken_over.status == "done" and not taken_over.claimed_by.endswith(f":{process.pid}")
            assert taken_over.last_key > last_key
            unfinished = shared.scalar(text("SELECT count(*) FROM cycle_runs WHERE status <> 'done'"))
            assert unfinished == 0
            assert shared.scalar(text("SELECT count(DISTINCT partition) FROM cycle_runs WHERE step = 'lapse'")) == 3
    finally:
        shared_engine.dispose()
        engine.dispose()
    verified = subprocess.run([str(PORTAL), "audit", "verify"], capture_output=True, text=True,
                              env={**os.environ, "DATABASE_URL": shared_url, "PORTAL_DATA_DIR": str(tmp_path)})
    assert verified.returncode == 0 and "intact" in verified.stdout
