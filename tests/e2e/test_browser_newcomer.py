"""The newcomer's walk (issue 11, Proof): the portal started as `make run` starts it, on a port
that is not 8000 and with no PORTAL_PUBLIC_URL, in a real Chromium on a phone (in Chinese) and
on a desktop (in English). Sign in, pay a premium with the sandbox's test card and see the
receipt, change the address, withdraw dividends confirmed with the SMS code, report a claim;
then a clerk reads the outbox. Every page on the way passes the checks of page_checks.py at 390
and 1280 px (conftest.py fails the test otherwise); on the phone the links are in the menu.

PORTAL_SCREENSHOTS=<folder> keeps a screenshot of each step at both widths."""
from __future__ import annotations

import os
import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from tests.e2e.page_checks import DESKTOP, PHONE
from tests.e2e.support import DEMO, DEMO_PASSWORD, sign_in
from tests.e2e.test_browser_servicing import _code_from_outbox, _participating_policy

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WEBHOOK_WAIT_MS = 20_000  # the receipt page refreshes itself until the webhook has come back
SUPERVISOR = "supervisor@example.com"  # the outbox is the supervisor's page
# A 300-character address, its last part one unbroken run: it once made the request page
# 3,228 px wide. The language check lets it be (a customer's address is their own words).
# The longest street the structured address form takes (200 characters): it still fits the screen.
LONG_STREET = "世纪大道100号" + "Tower" + "A" * 187
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    raw, size = page.unchecked, page.viewport_size
    for width in (PHONE, DESKTOP):
        raw.set_viewport_size({"width": width, "height": size["height"]})
        raw.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    raw.set_viewport_size(size)


def _open_link(page, device: str, data_test: str) -> None:
    """Follow a link of the bar: on the phone it is in the menu, which opens with a tap; on the
    desktop it is in sight."""
    link = page.locator(f"[data-test={data_test}]")
    if device == "phone":
        expect(link).to_be_hidden()
        page.locator("[data-test=menu-button]").tap()
        expect(link).to_be_visible()
        _shot(page, f"newcomer-{device}-menu")
        link.tap()
    else:
        expect(page.locator("[data-test=menu-button]")).to_be_hidden()
        link.click()


def test_the_newcomers_walk(newcomer):
    server, page, device = newcomer
    locale = "zh" if device == "phone" else "en"
    page.allow(LONG_STREET)

    page.goto("/login")
    sign_in(page, DEMO)
    page.wait_for_url(server.url("/"))
    if locale == "en":
        page.locator("[data-test=language]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if locale == "zh" else "en")
    _shot(page, f"newcomer-{device}-asset-sheet")

    # Pay the oldest premium due with the test card: the checkout and the webhook come back to
    # the port this server listens on (they went to :8000 before).
    _open_link(page, device, "nav-pay")
    page.wait_for_url(re.compile(r".*/pay$"))
    _shot(page, f"newcomer-{device}-pay")
    expect(page.locator("table[data-test=dues] input[type=checkbox]").first).to_be_checked()
    page.click("[data-test=pay-selected]")
    page.wait_for_url(re.compile(rf"^http://127\.0\.0\.1:{server.port}/sandbox/checkout/cs_test_"))
    _shot(page, f"newcomer-{device}-checkout")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#expiry", "12/34")
    page.fill("#cvc", "123")
    page.click("[data-test=sandbox-pay]")
    page.wait_for_url(re.compile(rf"^http://127\.0\.0\.1:{server.port}/payments/Y\d{{13}}$"))
    expect(page.locator("[data-test=receipt]")).to_be_visible(timeout=WEBHOOK_WAIT_MS)
    _shot(page, f"newcomer-{device}-receipt")

    # Change the address (applied at once; a long one still fits the screen).
    page.goto("/")
    number = _participating_policy(page)
    page.goto(f"/policies/{number}/services")
    _shot(page, f"newcomer-{device}-services")
    page.click("[data-test=open-contact_address]")
    # The form starts from the demo's address in its parts; only the street changes.
    expect(page.locator("#f-postcode")).not_to_have_value("")
    page.fill("#f-street", LONG_STREET)
    page.click("[data-test=submit-service]")
    page.wait_for_url(re.compile(r".*/requests/SR[0-9A-F]{10}$"))
    expect(page.locator("[data-test=done]")).to_contain_text(LONG_STREET[:20])
    _shot(page, f"newcomer-{device}-address-done")

    # Withdraw dividends, confirmed with the code sent by SMS.
    page.goto(f"/policies/{number}/services")
    page.click("[data-test=open-dividend_withdrawal]")
    page.fill("#f-amount", "100")
    page.click("[data-test=submit-service]")
    page.wait_for_url(re.compile(r".*/requests/SR[0-9A-F]{10}$"))
    expect(page.locator("[data-test=confirm]")).to_be_visible()
    _shot(page, f"newcomer-{device}-withdrawal-code")
    reference = page.locator("[data-test=reference]").inner_text()
    code = _code_from_outbox(server, reference)
    page.fill("#code", code)
    page.click("[data-test=confirm-code]")
    expect(page.locator("[data-test=done]")).to_be_visible()
    _open_link(page, device, "nav-requests")
    expect(page.locator(f"[data-test=request-{reference}]")).to_be_visible()
    _shot(page, f"newcomer-{device}-requests")

    # Report a hospital stay on the critical illness policy.
    page.goto("/")
    for candidate in re.findall(r'href="/policies/([^"/]+)"', page.content()):
        page.goto(f"/claims/new?policy={candidate}")
        if page.locator("#kind-hospitalisation").count():
            break
    _shot(page, f"newcomer-{device}-claim-form")
    page.check("#kind-hospitalisation")
    page.fill("#incident_date", (date.today() - timedelta(days=12)).isoformat())
    page.fill("#facts", "李娜因肺炎在北京市朝阳医院住院治疗十天。" if locale == "zh"
              else "Li Na was treated in hospital for pneumonia for ten days.")
    page.click("[data-test=submit-claim]")
    page.wait_for_url(re.compile(r".*/claims/CL[0-9A-F]{10}$"))
    expect(page.locator("[data-test=claim-reference]")).to_be_visible()
    _shot(page, f"newcomer-{device}-claim")
    _open_link(page, device, "nav-claims")
    page.wait_for_url(re.compile(r".*/claims$"))

    # A supervisor on the same screen reads the outbox: the notices sent on the way, the code masked.
    _open_link(page, device, "logout")
    page.wait_for_url(re.compile(r".*/login$"))
    if 30 - time.time() % 30 < 1.5:  # keep clear of the code's last moments
        time.sleep(2)
    page.goto("/console/login")
    page.fill("#email", SUPERVISOR)
    page.fill("#password", DEMO_PASSWORD)
    page.fill("#code", server.totp(SUPERVISOR).now())
    page.click("form.stack button[type=submit]")
    page.wait_for_url(server.url("/console/"))
    page.goto("/console/outbox")
    expect(page.locator("table[data-test=outbox] tbody tr").first).to_be_visible()
    assert code not in page.locator("table[data-test=outbox]").inner_text()
    _shot(page, f"newcomer-{device}-console-outbox")
    page.goto(f"/console/requests?q={reference}")
    _shot(page, f"newcomer-{device}-console-requests")
