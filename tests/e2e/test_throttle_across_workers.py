"""Sign-in throttling holds across worker processes: 20 wrong passwords sent at once to a real
gunicorn with two workers on PostgreSQL get exactly the limit (5) checked and the rest refused,
with the counters in the database (the default) and in Redis. The owner is told once."""
from __future__ import annotations

import socket
import threading
import time
from collections import Counter

import pytest

from iaas.ratelimit import RateLimiter
from paas.security.policy import SecurityPolicy
from portal.demo.people import PEOPLE
from tests.e2e.support import DEMO
from tests.outbox_support import local_messages

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
REDIS_URL = "redis://127.0.0.1:6379/14"
LIMIT = SecurityPolicy().login_limit_per_account  # "5 per 15 minutes"


def _twenty_wrong_sign_ins_at_once(server) -> Counter:
    clients = [server.http() for _ in range(20)]
    tokens = [client.get("/login").csrf_token() for client in clients]  # each its own session first
    start, statuses = threading.Barrier(len(clients)), []

    def attempt(client, token):
        start.wait()
        response = client.post_form("/login", {"csrf_token": token, "identifier": DEMO, "password": "wrong-password"})
        statuses.append(response.status)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(statuses)


def _check(server) -> None:
    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    assert log.count("Booting worker") == 2, log  # two processes, each with its own memory
    statuses = _twenty_wrong_sign_ins_at_once(server)
    assert statuses == Counter({401: 5, 429: 15}), statuses  # 401: the password was checked
    client = server.http()
    token = client.get("/login").csrf_token()
    right = client.post_form("/login", {"csrf_token": token, "identifier": DEMO, "password": server.password})
    assert right.status == 429  # the account waits, whichever worker answers

    mobile = next(p.mobile for p in PEOPLE if p.email == DEMO)
    deadline = time.monotonic() + 10
    while not (notices := [m for m in local_messages(server.data_dir) if m.recipient == mobile]):
        assert time.monotonic() < deadline, "no lockout notice"
        time.sleep(0.1)
    time.sleep(0.5)
    assert len([m for m in local_messages(server.data_dir) if m.recipient == mobile]) == len(notices) == 1


def test_the_sign_in_limit_holds_across_two_workers_with_database_counters(start_live_server, postgres_databases):
    server = start_live_server(DATABASE_URL=postgres_databases.create(), PORTAL_WORKERS="2")
    _check(server)


def test_the_sign_in_limit_holds_across_two_workers_with_redis_counters(start_live_server, postgres_databases):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("Redis not reachable on 127.0.0.1:6379")
    redis = RateLimiter(REDIS_URL)
    redis.reset(LIMIT, "login-account", DEMO)  # Redis outlives the test run: start from nothing
    redis.reset(SecurityPolicy().login_limit_per_address, "login-address", "127.0.0.1")
    server = start_live_server(DATABASE_URL=postgres_databases.create(), PORTAL_WORKERS="2",
                               PORTAL_RATELIMIT_STORAGE=REDIS_URL)
    _check(server)
    redis.reset(LIMIT, "login-account", DEMO)
