"""Web processes keep nothing of their own: two gunicorns on one database (the second with two
worker processes), sign-in counters in Redis (127.0.0.1:6379). A session opened on the first
is honoured by the second after the first is killed; wrong passwords sent to both add up to
one limit; ``/readyz`` checks the database and the job queue; ``/metrics`` adds up the counts
of both worker processes of a gunicorn; the request id goes in and comes out."""
from __future__ import annotations

import re
import signal

import pytest
import redis

from paas.security.policy import SecurityPolicy
from tests.e2e.conftest import _start_live_server, _stop
from tests.e2e.support import DEMO

pytestmark = pytest.mark.slow
REDIS_URL = "redis://127.0.0.1:6379/12"
LIMIT = int(SecurityPolicy().login_limit_per_account.split()[0])  # "5 per 15 minutes"


@pytest.fixture
def two_servers(tmp_path):
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()  # counters of an earlier run must not count
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    data_dir = tmp_path / "var"
    env = {"PORTAL_RATELIMIT_STORAGE": REDIS_URL}
    first = _start_live_server(data_dir, env)
    second = _start_live_server(data_dir, {**env, "PORTAL_WORKERS": "2", "PORTAL_THREADS": "1"})
    yield first, second
    _stop(first.process)
    _stop(second.process)


def _counted(metrics: str, route: str) -> float:
    return sum(float(value) for value in re.findall(
        rf'^portal_http_requests_total\{{[^}}]*route="{re.escape(route)}"[^}}]*status="200"[^}}]*\}} (\S+)$',
        metrics, re.M))


def test_a_second_web_process_carries_on_what_the_first_began(two_servers):
    first, second = two_servers
    visitor = first.http()
    assert visitor.login(DEMO).status == 302
    assert first.http().get("/").status == 302  # a stranger is sent to sign in ...
    first.process.send_signal(signal.SIGKILL)  # ... and the process that signed the visitor in is gone
    first.process.wait()
    visitor.host, visitor.port = second.host, second.port
    page = visitor.get("/")
    assert page.status == 200 and 'name="password"' not in page.text  # still signed in

    # Wrong passwords on either process add up to one limit (the counters live in Redis).
    attacker = second.http()
    statuses = [attacker.login(DEMO, "wrong-password").status for _ in range(LIMIT + 2)]
    assert statuses == [401] * LIMIT + [429, 429], statuses


def test_readiness_metrics_and_request_ids_across_worker_processes(two_servers):
    _first, second = two_servers
    client = second.http()
    ready = client.get("/readyz")
    assert ready.status == 200 and '"failing":[]' in ready.text.replace(" ", "")
    before = _counted(client.get("/metrics").text, "/healthz")
    for _ in range(20):  # a new connection each: both worker processes answer some
        assert second.http().get("/healthz").status == 200
    for _ in range(3):  # whichever process answers the scrape, it reports both
        assert _counted(client.get("/metrics").text, "/healthz") - before == 20
    metrics = client.get("/metrics").text
    assert "portal_http_request_seconds_bucket" in metrics and 'portal_job_queue_depth{state="ready"}' in metrics
    echoed = client.request("GET", "/healthz", headers={"X-Request-Id": "lb-1234-abcd"})
    assert echoed.header("X-Request-Id") == "lb-1234-abcd"
    made = client.request("GET", "/healthz", headers={"X-Request-Id": "bad id <script> with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.header("X-Request-Id") or "")
