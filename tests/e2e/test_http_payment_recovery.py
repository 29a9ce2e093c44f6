"""The newcomer's blocker (issue 11), end to end over real HTTP: a portal whose sandbox sends
its webhooks to a wrong address takes a card payment that cannot be confirmed; started again
with the right address (here: none set, so it follows HOST/PORT), it delivers the waiting
event by itself and the premium is credited, with no command run in between."""
from __future__ import annotations

import re
import sqlite3
import subprocess
import time

import pytest

from tests.e2e.conftest import _free_port, _prepare_data, _server_env, _stop, _wait_until_up
from tests.e2e.support import DEMO, GUNICORN, REPO_ROOT, LiveServer

pytestmark = [pytest.mark.slow]
CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/34", "cvc": "123"}


def _serve(data_dir, env, port) -> LiveServer:
    server = LiveServer(base_url=f"http://127.0.0.1:{port}", host="127.0.0.1", port=port, data_dir=data_dir, env=env,
                        staff_totp_secrets={}, seed_output="", log_path=data_dir / "gunicorn.log")
    with open(server.log_path, "ab") as log:
        server.process = subprocess.Popen([str(GUNICORN), "--config", "python:portal.gunicorn_conf", "portal.wsgi:app"],
                                          env=env, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT)
    if not _wait_until_up(server):
        _stop(server.process)
        pytest.fail(f"gunicorn did not come up:\n{server.log_tail()}", pytrace=False)
    return server


def _undelivered(data_dir) -> list[tuple[str, int]]:
    with sqlite3.connect(data_dir / "payments-sandbox.sqlite3") as conn:
        return conn.execute("SELECT id, attempts FROM events WHERE delivered_at IS NULL").fetchall()


def test_a_payment_whose_webhook_went_nowhere_is_credited_once_the_portal_runs_at_the_right_address(tmp_path):
    data_dir = tmp_path / "var"
    env = _server_env(data_dir)
    _prepare_data(env)
    port, nowhere = _free_port(), _free_port()
    wrong = {**env, "HOST": "127.0.0.1", "PORT": str(port), "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{nowhere}"}
    server = _serve(data_dir, wrong, port)
    try:
        client = server.http()
        assert client.login(DEMO).status == 302
        pay = client.get("/pay")
        due = re.search(r'name="due" value="([^"]+)"[^>]*checked', pay.text).group(1)
        started = client.post_form("/pay", {"csrf_token": pay.csrf_token(), "due": due})
        assert started.status == 303
        checkout = started.header("Location")
        assert checkout.startswith("/sandbox/checkout/")  # by path: the browser's own origin, whatever the setting
        paid = client.post_form(checkout, {"csrf_token": client.get(checkout).csrf_token(), **CARD})
        assert paid.status == 303
        payment = client.get(paid.header("Location")).header("Location")
        assert re.fullmatch(r"/payments/Y\d{13}", payment)
        deadline = time.monotonic() + 15
        while not any(attempts for _id, attempts in _undelivered(data_dir)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [attempts > 0 for _id, attempts in _undelivered(data_dir)] == [True]  # tried, and went nowhere
        assert 'data-test="waiting"' in client.get(payment).text
    finally:
        _stop(server.process)

    right = {k: v for k, v in wrong.items() if k != "PORTAL_PUBLIC_URL"}  # follows HOST/PORT
    server = _serve(data_dir, right, port)
    try:
        client.cookies.pop("lang", None)
        deadline = time.monotonic() + 20
        page = client.get(payment).text
        while 'data-test="receipt"' not in page and time.monotonic() < deadline:
            time.sleep(0.5)
            page = client.get(payment).text
        assert 'data-test="receipt"' in page, server.log_tail()
        assert re.search(r'data-test="paid-to">', page) and _undelivered(data_dir) == []
        assert re.search(r'data-test="card-last4">[^<]*4242<', page)
    finally:
        _stop(server.process)
