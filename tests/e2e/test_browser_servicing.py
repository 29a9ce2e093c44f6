"""Policy servicing in a real Chromium against the real gunicorn: the demo policyholder
changes their address (applied at once), then withdraws accumulated dividends, confirming
with the one-time code the local SMS gateway wrote into the server's outbox folder."""
from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from tests.e2e.support import DEMO, sign_in, zh
from tests.outbox_support import code_in, local_messages

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NEW_ADDRESS = "上海市浦东新区世纪大道100号25楼"
NEW_ADDRESS_PARTS = {"province": "上海市", "city": "上海市", "district": "浦东新区", "street": "世纪大道100号25楼",
                     "postcode": "200120"}


def _code_from_outbox(server, reference: str, seconds: float = 10.0) -> str:
    """The local gateway writes each SMS, sealed, as <data>/outbox/sms/<id>.json once the
    request commits; a test may unseal it with the server's key ring (staff pages may not)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in local_messages(server.data_dir):
            if message.channel == "sms" and reference in message.body:
                assert message.recipient == "+8613800138000"
                return code_in(message.body)
        time.sleep(0.1)
    raise AssertionError(f"no SMS for {reference} in {server.data_dir / 'outbox'}")


def _yuan(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.]", "", text))


def _participating_policy(page) -> str:
    """The demo policyholder's policy that holds dividends: the one offering their withdrawal."""
    for number in re.findall(r'href="/policies/([^"/]+)"', page.content()):
        page.goto(f"/policies/{number}/services")
        if page.locator("[data-test=open-dividend_withdrawal]").count():
            return number
    raise AssertionError("no policy of the demo policyholder offers a dividend withdrawal")


def test_change_address_then_withdraw_dividends_with_the_sms_code(private_page, private_live_server):
    page, server = private_page, private_live_server
    page.goto("/login")
    sign_in(page, DEMO)
    page.wait_for_url(server.url("/"))
    number = _participating_policy(page)

    page.goto(f"/policies/{number}")
    held_before = _yuan(page.locator("[data-test=dividends-held]").inner_text())
    page.click("[data-test=services-link]")
    page.wait_for_url(re.compile(rf".*/policies/{number}/services$"))

    # The address: applied at once, the done page shows it.
    page.click("[data-test=open-contact_address]")
    expect(page.locator("[data-test=guide-province]")).to_be_visible()  # the address on file, before one types
    for name, value in NEW_ADDRESS_PARTS.items():
        page.fill(f"#f-{name}", value)
    page.click("[data-test=submit-service]")
    page.wait_for_url(re.compile(r".*/requests/SR[0-9A-F]{10}$"))
    expect(page.locator("[data-test=done]")).to_contain_text(NEW_ADDRESS)
    expect(page.locator("[data-test=request-status]")).to_have_text(zh("Done"))

    # The withdrawal: a preview, a code sent by SMS to the mobile on file, then done.
    page.goto(f"/policies/{number}/services")
    page.click("[data-test=open-dividend_withdrawal]")
    expect(page.locator("[data-test=guide-amount]")).to_contain_text(f"{held_before:,.2f}")  # before one types
    page.fill("#f-amount", "100")
    expect(page.locator("#f-bank_account option")).to_have_count(1)
    page.click("[data-test=submit-service]")
    page.wait_for_url(re.compile(r".*/requests/SR[0-9A-F]{10}$"))
    confirm = page.locator("[data-test=confirm]")
    expect(confirm).to_contain_text(zh("We sent a code to %(mobile)s. Type it here to confirm.", mobile="+86 138****8000"))
    expect(page.locator("[data-test=preview]")).to_contain_text(f"¥{held_before - 100:,.2f}")
    reference = page.locator("[data-test=reference]").inner_text()
    expect(page.locator("[data-test=resend-code]")).to_be_visible()  # a new code can be asked for
    page.fill("#code", _code_from_outbox(server, reference))
    page.click("[data-test=confirm-code]")
    expect(page.locator("[data-test=done]")).to_be_visible()

    page.goto(f"/policies/{number}")
    assert _yuan(page.locator("[data-test=dividends-held]").inner_text()) == held_before - 100
    page.click("[data-test=nav-requests]")
    rows = page.locator("table[data-test=requests] tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(f"[data-test=request-{reference}]")).to_contain_text(zh("Done"))
