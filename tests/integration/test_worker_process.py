"""``portal worker`` as a real process, and a real process that dies right after its commit.

- SIGTERM while a job runs: the job finishes, the worker exits 0, the queue is empty.
- SIGKILL while a job runs: nothing is lost; the claim's lease runs out and a second worker
  runs the job (its second attempt).
- A process commits a change that queues an SMS and dies at once (before any after-commit
  work): the job is in the queue with the change, and ``portal worker --once`` delivers it.
  On SQS (sent after the commit, so lost with the process) the worker's sweep delivers it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from iaas.database import create_database_engine
from iaas.jobs import DatabaseJobQueue
from tests.sqs_support import create_queues

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
PORTAL = Path(sys.executable).parent / "portal"


@pytest.fixture
def env(tmp_path):
    data = tmp_path / "var"
    values = {**os.environ, "PORTAL_ENV": "test", "PORTAL_DATA_DIR": str(data), "PORTAL_SECRET_KEY": "test-secret",
              "DATABASE_URL": f"sqlite:///{data / 'portal.sqlite3'}", "PORTAL_JOB_MODULES": "tests.job_support",
              "PORTAL_LOG_FORMAT": "json", "PYTHONPATH": str(REPO)}
    subprocess.run([str(PORTAL), "db", "upgrade"], env=values, cwd=REPO, check=True, capture_output=True)
    return values


def start_worker(env: dict, tmp_path: Path, name: str, **extra: str) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([str(PORTAL), "worker"], env={**env, **extra}, cwd=REPO,
                                   stdout=out, stderr=subprocess.STDOUT)
    return process, log


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def job_rows(env: dict) -> list[tuple]:
    engine = create_database_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT name, status, attempts FROM jobs")).all()
    finally:
        engine.dispose()


def enqueue_slow(env: dict, folder: Path, seconds: float) -> None:
    engine = create_database_engine(env["DATABASE_URL"])
    DatabaseJobQueue(engine).enqueue("test.slow", {"folder": str(folder), "seconds": seconds})
    engine.dispose()


def test_sigterm_lets_the_job_in_hand_finish_then_the_worker_exits(env, tmp_path):
    enqueue_slow(env, tmp_path, 2.0)
    worker, log = start_worker(env, tmp_path, "worker")
    wait_for(lambda: list(tmp_path.glob("started-*")), 30, "the job to start")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0, log.read_text()
    assert (tmp_path / "finished").read_text().split() == [str(worker.pid)]
    assert job_rows(env) == []
    assert '"message": "worker stopped"' in log.read_text()  # a JSON log line


def test_a_worker_killed_mid_job_loses_nothing_another_runs_it_after_the_lease(env, tmp_path):
    enqueue_slow(env, tmp_path, 1.0)
    first, _ = start_worker(env, tmp_path, "first", PORTAL_JOB_LEASE_SECONDS="3")
    wait_for(lambda: list(tmp_path.glob("started-*")), 30, "the job to start")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert not (tmp_path / "finished").exists()
    assert job_rows(env) == [("test.slow", "running", 1)]  # still there, held by a dead worker's lease
    second, log = start_worker(env, tmp_path, "second", PORTAL_JOB_LEASE_SECONDS="3")
    try:
        wait_for(lambda: (tmp_path / "finished").exists(), 30, "the second worker to run the job")
        wait_for(lambda: job_rows(env) == [], 10, "the job to be settled")
        assert (tmp_path / "finished").read_text().split() == [str(second.pid)]
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, log.read_text()


# A "web process" that commits a change queuing an SMS, then dies before anything after the
# commit can run (no delivery in the request thread, no embedded worker: it is gone).
DIE_AFTER_COMMIT = textwrap.dedent("""
    import os
    from paas.messaging import outbox
    from paas.unit_of_work import UnitOfWork
    from portal.config import Settings
    from portal.wiring import build_platform

    real_commit = UnitOfWork.commit

    def die_after_commit(self):
        # The real commit (it writes the transaction's jobs), then dead before any after-commit action.
        self._after_commit.insert(0, lambda: os._exit(0))
        real_commit(self)

    UnitOfWork.commit = die_after_commit
    platform = build_platform(Settings.from_env())
    with platform.unit_of_work() as uow:
        outbox.queue(uow, channel="sms", kind="test", recipient="+8613800138000", body="保单已更新", locale="zh")
        uow.commit()
""")


def delivered(env: dict) -> list:
    from iaas.keyring import LocalKeyRing
    from iaas.messaging import LocalFolderGateway

    data = Path(env["PORTAL_DATA_DIR"])
    return LocalFolderGateway(data / "outbox", LocalKeyRing.load_or_create(data / "keys" / "keyring.json")).delivered()


def test_after_commit_work_survives_the_process_dying_right_after_the_commit(env):
    subprocess.run([sys.executable, "-c", DIE_AFTER_COMMIT], env=env, cwd=REPO, check=True)
    assert job_rows(env) == [("outbox.deliver", "ready", 0)]
    assert delivered(env) == []
    ran = subprocess.run([str(PORTAL), "worker", "--once"], env=env, cwd=REPO, capture_output=True, text=True)
    assert ran.returncode == 0 and "Ran 1 job(s)." in ran.stdout, ran.stderr
    assert [(m.recipient, m.body) for m in delivered(env)] == [("+8613800138000", "保单已更新")]
    assert job_rows(env) == []


def test_on_sqs_the_sweep_delivers_what_a_process_dying_after_its_commit_never_sent(env, aws_env, tmp_path):
    live, dead = create_queues(aws_env["AWS_ENDPOINT_URL_SQS"])
    sqs_env = {**env, **aws_env, "PORTAL_QUEUE": live, "PORTAL_QUEUE_DEAD_LETTER": dead}
    subprocess.run([sys.executable, "-c", DIE_AFTER_COMMIT], env=sqs_env, cwd=REPO, check=True)
    assert delivered(env) == []
    worker, log = start_worker(sqs_env, tmp_path, "sqs-worker", PORTAL_SWEEP_SECONDS="1")
    try:
        wait_for(lambda: delivered(env), 30, "the sweep to deliver the message")
        assert [m.body for m in delivered(env)] == ["保单已更新"]
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, log.read_text()


def test_portal_cycle_start_hands_the_night_to_the_workers_through_the_queue(env):
    subprocess.run([str(PORTAL), "seed", "--policies", "300"], env=env, cwd=REPO, check=True, capture_output=True)
    day = "2026-12-20"
    started = subprocess.run([str(PORTAL), "cycle", "start", "--date", day, "--partitions", "3", "--workers", "2",
                              "--batch-size", "40"], env=env, cwd=REPO, capture_output=True, text=True)
    assert started.returncode == 0 and "for 2 worker(s)" in started.stdout, started.stderr
    assert job_rows(env) == [("cycle.share", "ready", 0)] * 2
    ran = subprocess.run([str(PORTAL), "worker", "--once"], env=env, cwd=REPO, capture_output=True, text=True)
    assert ran.returncode == 0 and "Ran 2 job(s)." in ran.stdout, ran.stderr
    status = subprocess.run([str(PORTAL), "cycle", "status", "--date", day], env=env, cwd=REPO, capture_output=True,
                            text=True).stdout
    rows = [line.split() for line in status.splitlines() if line.strip()]
    assert {row[0] for row in rows if row[1] == "lapse"} == {"1/3r", "2/3r", "3/3r"}
    assert all(row[2] == "done" for row in rows), status
