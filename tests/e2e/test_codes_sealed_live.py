"""On a real gunicorn: a one-time code sent for a servicing request is nowhere in the server's
data folder (database, write-ahead log, counters, outbox files, log) nor on a staff page, yet
the customer's code (unsealed here as only a test may) confirms the request."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.e2e.support import DEMO
from tests.outbox_support import code_in, local_messages

pytestmark = [pytest.mark.slow]


def _occurrences(code: str, folder: Path) -> dict[str, int]:
    pattern = re.compile(rf"(?<!\d){code}(?!\d)".encode())
    found = {str(path): len(pattern.findall(path.read_bytes())) for path in folder.rglob("*") if path.is_file()}
    return {path: count for path, count in found.items() if count}


def _start_withdrawal(client) -> str:
    for number in dict.fromkeys(re.findall(r'href="/policies/([^"/]+)"', client.get("/").text)):
        form = client.get(f"/policies/{number}/services/dividend_withdrawal")
        if form.status != 200 or 'name="idempotency_key"' not in form.text:
            continue
        key = re.search(r'name="idempotency_key" value="([^"]+)"', form.text)[1]
        account = re.search(r'name="bank_account"[^>]*>\s*<option value="([^"]+)"', form.text)[1]
        answer = client.post_form(f"/policies/{number}/services/dividend_withdrawal", {
            "csrf_token": form.csrf_token(), "idempotency_key": key, "amount": "1", "bank_account": account})
        assert answer.status == 303, answer.text
        return answer.header("Location").rsplit("/", 1)[1]
    raise AssertionError("no policy of the demo policyholder offers a dividend withdrawal")


def _code_sent_about(server, reference: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in local_messages(server.data_dir):
            if reference in message.body:
                return code_in(message.body)
        time.sleep(0.1)
    raise AssertionError(f"no SMS about {reference}")


def _staff(server, email: str):
    client = server.http()
    token = client.get("/console/login").csrf_token()
    answer = client.post_form("/console/login", {"csrf_token": token, "email": email, "password": server.password,
                                                 "code": server.totp(email).now()})
    assert answer.status == 302, answer.text
    return client


def test_a_live_code_is_in_no_file_of_the_data_folder_and_on_no_staff_page(private_live_server):
    server = private_live_server
    customer = server.http()
    assert customer.login(DEMO).status == 302
    reference = _start_withdrawal(customer)
    code = _code_sent_about(server, reference)
    assert _occurrences(code, server.data_dir) == {}

    supervisor, clerk = _staff(server, "supervisor@example.com"), _staff(server, "clerk@example.com")
    outbox = supervisor.get("/console/outbox")
    assert outbox.status == 200 and reference in outbox.text and "••••••" in outbox.text
    assert code not in outbox.text
    assert clerk.get("/console/outbox").status == 403
    request_page = clerk.get(f"/console/requests/{reference}")
    assert request_page.status == 200 and code not in request_page.text

    page = f"/requests/{reference}"
    confirmed = customer.post_form(f"{page}/confirm", {"csrf_token": customer.get(page).csrf_token(), "code": code})
    assert confirmed.status == 303, confirmed.text
    assert _occurrences(code, server.data_dir) == {}
