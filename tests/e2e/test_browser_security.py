"""Issue 10 in a real Chromium against the real gunicorn: changing the mobile asks for the code
sent to the mobile on file and the one sent to the new number (the old mobile is told once it
is done), then the safety page freezes online money movements and the services page says why
they are refused."""
from __future__ import annotations

import re
import time

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from iaas.messaging.local import DeliveredMessage
from tests.e2e.support import DEMO, sign_in, zh
from tests.outbox_support import code_in, local_messages

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ON_FILE, NEW_MOBILE = "+8613800138000", "+8613900139111"


def _messages(server, seconds: float = 10.0, *, until) -> list[DeliveredMessage]:
    """The SMS the local gateway wrote (sealed, under <data>/outbox/sms/), unsealed with the
    server's key ring as only a test may, once ``until`` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        messages = [m for m in local_messages(server.data_dir) if m.channel == "sms"]
        if until(messages):
            return messages
        time.sleep(0.1)
    raise AssertionError(f"the SMS expected did not arrive in {server.data_dir / 'outbox' / 'sms'}")


def _code(messages: list[DeliveredMessage], reference: str, to: str) -> str:
    return code_in(next(m.body for m in messages if reference in m.body and m.recipient == to))


def test_a_new_mobile_needs_both_codes_then_a_freeze_stops_money_movements(private_page, private_live_server):
    page, server = private_page, private_live_server
    page.goto("/login")
    sign_in(page, DEMO)
    page.wait_for_url(server.url("/"))
    number = re.findall(r'href="/policies/([^"/]+)"', page.content())[0]

    page.goto(f"/policies/{number}/services/contact_phone")
    page.fill("#f-mobile", "139 0013 9111")
    page.click("[data-test=submit-service]")
    page.wait_for_url(re.compile(r".*/requests/SR[0-9A-F]{10}$"))
    reference = page.locator("[data-test=reference]").inner_text()
    messages = _messages(server, until=lambda ms: sum(reference in m.body for m in ms) == 2)
    expect(page.locator("[data-test=confirm]")).to_contain_text("+86 139****9111")
    page.fill("#code", _code(messages, reference, NEW_MOBILE))  # the attacker's code alone, twice
    page.fill("#contact_code", _code(messages, reference, NEW_MOBILE))
    page.click("[data-test=confirm-code]")
    expect(page.locator("[data-test=request-error]")).to_be_visible()
    page.fill("#code", _code(messages, reference, ON_FILE))
    page.fill("#contact_code", _code(messages, reference, NEW_MOBILE))
    page.click("[data-test=confirm-code]")
    expect(page.locator("[data-test=done]")).to_be_visible()
    told = _messages(server, until=lambda ms: any("95500" in m.body and m.recipient == ON_FILE
                                                  and reference not in m.body for m in ms))
    assert any("+86 139****9111" in m.body and m.recipient == ON_FILE for m in told)

    page.click("[data-test=nav-account]")
    page.click("[data-test=account-security]")
    page.click("[data-test=freeze-money]")
    expect(page.locator("[data-test=frozen]")).to_be_visible()
    page.goto(f"/policies/{number}/services")
    expect(page.locator("main")).to_contain_text(
        zh("You have frozen online money movements on your policies. Call 95500 or visit a branch to lift it."))
