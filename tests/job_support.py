"""Job handlers for the worker tests (registered by importing this module: in a test, or in a
``portal worker`` process through ``PORTAL_JOB_MODULES=tests.job_support``) and the queue
fixture every worker test runs on: the database table (SQLite, PostgreSQL) and SQS on moto."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from iaas.jobs import DatabaseJobQueue
from iaas.jobs.sqs import SqsJobQueue
from paas.jobs.registry import job_handler
from tests.sqs_support import create_queues, sqs_client

FAILURES: dict[str, int] = {}  # key -> failures still to come (in-process tests)


@job_handler("test.flaky")
def flaky(_platform, payload: dict) -> None:
    """Fails ``payload["fail"]`` times for its key, then succeeds (recording the success)."""
    key = payload["key"]
    left = FAILURES.setdefault(key, payload["fail"])
    if left > 0:
        FAILURES[key] = left - 1
        raise RuntimeError(f"{key}: the provider is down")
    FAILURES[key] = -1


@job_handler("test.slow")
def slow(_platform, payload: dict) -> None:
    """Marks its start and its end in files, ``payload["seconds"]`` apart (for the kill tests)."""
    folder = Path(payload["folder"])
    (folder / f"started-{os.getpid()}").write_text(str(time.time()))
    time.sleep(payload["seconds"])
    with (folder / "finished").open("a") as finished:
        finished.write(f"{os.getpid()}\n")


STARTED: dict[str, float] = {}  # key -> time.monotonic() when its job began (in-process tests)
MEETINGS: dict[str, threading.Barrier] = {}


@job_handler("test.timed")
def timed(_platform, payload: dict) -> None:
    """Records when it began, then takes ``payload["seconds"]``."""
    STARTED[payload["key"]] = time.monotonic()
    time.sleep(payload["seconds"])


@job_handler("test.meet")
def meet(_platform, payload: dict) -> None:
    """Waits until ``payload["of"]`` jobs of its key run at once (raises after 5 s alone)."""
    MEETINGS.setdefault(payload["key"], threading.Barrier(payload["of"], timeout=5)).wait()


def make_queue(kind: str, request, tmp_path):
    if kind == "sqs":
        endpoint = request.getfixturevalue("moto_endpoint")
        live, dead = create_queues(endpoint)
        return SqsJobQueue(sqs_client(endpoint), live, dead)
    from iaas.database import create_database_engine
    from portal import migrate

    if kind == "database-sqlite":
        engine = create_database_engine(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    else:
        engine = create_database_engine(request.getfixturevalue("postgres_databases").create())
    migrate.upgrade(engine)
    request.addfinalizer(engine.dispose)
    return DatabaseJobQueue(engine)


@pytest.fixture(params=["database-sqlite", pytest.param("database-postgres", marks=pytest.mark.postgres), "sqs"])
def queue(request, tmp_path):
    return make_queue(request.param, request, tmp_path)


@pytest.fixture()
def two_processes(postgres_databases):
    """Two queues on two engines of one fresh database: ``portal worker``'s and a web process's."""
    from iaas.database import create_database_engine
    from portal import migrate

    url = postgres_databases.create()
    engines = [create_database_engine(url), create_database_engine(url)]
    migrate.upgrade(engines[0])
    yield DatabaseJobQueue(engines[0]), DatabaseJobQueue(engines[1])
    for engine in engines:
        engine.dispose()
