"""The rate-limit counters, one contract for every store: the database table (SQLite file and
PostgreSQL, committed on a connection of its own), Redis and memory through ``limits``.
Parallel reservations never let more than the limit through."""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid

import pytest
from sqlalchemy import text

from iaas.database import create_database_engine
from iaas.ratelimit import DatabaseCounters, RateLimiter

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "redis", "memory"])
def limiter(request, tmp_path):
    engine = None
    if request.param == "sqlite":
        engine = create_database_engine(f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}")
        yield RateLimiter(DatabaseCounters(engine, create_table=True))
    elif request.param == "postgres":
        yield RateLimiter(DatabaseCounters(request.getfixturevalue("postgres_engine")))  # the migrated table
    elif request.param == "redis":
        if not _redis_reachable():
            pytest.skip("Redis not reachable on 127.0.0.1:6379")
        yield RateLimiter(REDIS_URL)
    else:
        yield RateLimiter("memory://")
    if engine is not None:
        engine.dispose()


@pytest.fixture
def key() -> str:
    return f"test-{uuid.uuid4().hex}"  # Redis outlives the test: a key of its own


def test_reservations_count_down_to_a_refusal_that_is_not_counted(limiter, key):
    assert [limiter.reserve("3 per 15 minutes", "login", key) for _ in range(3)] == [2, 1, 0]
    assert limiter.reserve("3 per 15 minutes", "login", key) is None
    assert limiter.reserve("3 per 15 minutes", "login", key) is None
    assert not limiter.allowed("3 per 15 minutes", "login", key)
    assert 14 * 60 < limiter.retry_after("3 per 15 minutes", "login", key) <= 15 * 60
    limiter.refund("3 per 15 minutes", "login", key)  # one given back: one more may go through
    assert limiter.reserve("3 per 15 minutes", "login", key) == 0
    assert limiter.reserve("3 per 15 minutes", "login", key) is None


def test_keys_and_limits_count_apart_and_a_reset_starts_again(limiter, key):
    assert limiter.reserve("1 per minute", "login", key) == 0
    assert limiter.reserve("1 per minute", "login", key + "-other") == 0
    assert limiter.reserve("2 per minute", "login", key) == 1  # another limit, another counter
    assert not limiter.hit("1 per minute", "login", key)
    limiter.reset("1 per minute", "login", key)
    assert limiter.allowed("1 per minute", "login", key)
    assert limiter.hit("1 per minute", "login", key)


def test_a_window_ends_and_counting_starts_again(limiter, key):
    assert limiter.reserve("1 per 1 second", "login", key) == 0
    assert limiter.reserve("1 per 1 second", "login", key) is None
    time.sleep(1.2)
    assert limiter.reserve("1 per 1 second", "login", key) == 0


def test_parallel_reservations_let_exactly_the_limit_through(limiter, key):
    start, answers = threading.Barrier(20), []

    def attempt():
        start.wait()
        answers.append(limiter.reserve("5 per 15 minutes", "login", key))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a for a in answers if a is not None) == [0, 1, 2, 3, 4]
    assert answers.count(None) == 15


@pytest.mark.postgres
def test_the_count_survives_a_request_rolled_back(postgres_engine, key):
    """The database store commits on its own connection: a failed request undoes nothing."""
    limiter = RateLimiter(DatabaseCounters(postgres_engine))
    with postgres_engine.connect() as request_connection:
        request = request_connection.begin()
        request_connection.execute(text("SELECT 1"))
        assert limiter.reserve("2 per 15 minutes", "login", key) == 1
        request.rollback()
    assert limiter.reserve("2 per 15 minutes", "login", key) == 0
    assert limiter.reserve("2 per 15 minutes", "login", key) is None
