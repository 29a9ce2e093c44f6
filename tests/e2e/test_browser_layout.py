"""Every page of the portal and the console, in both languages, passes the checks of
page_checks.py on a phone (390 px) and a desktop (1280 px): nothing sticks out of the screen,
no words of the other language. Set PORTAL_SCREENSHOTS=<folder> to keep a full-page
screenshot of each at both widths (to look at the layout, not only measure it)."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from tests.e2e.conftest import _context_and_page
from tests.e2e.page_checks import DESKTOP, PHONE
from tests.e2e.support import DEMO, DEMO2, DEMO_PASSWORD, set_account_language, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
SUPERVISOR = "supervisor@example.com"  # the role that sees every console page
_LAST_CODE_STEP: dict[str, int] = {}


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _visit(page, path: str, shot: str) -> None:
    page.goto(path)
    page.check_now()  # the checks of page_checks.py, at both widths; conftest fails the test with all
    if SHOTS:
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        raw, size = page.unchecked, page.viewport_size
        for width in (PHONE, DESKTOP):
            raw.set_viewport_size({"width": width, "height": size["height"]})
            raw.screenshot(path=str(folder / f"{shot}-{width}.png"), full_page=True)
        raw.set_viewport_size(size)


def _links(page, pattern: str) -> list[str]:
    return sorted({_path(href) for href in re.findall(r'href="([^"]+)"', page.content()) if re.fullmatch(pattern, href)})


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("email", [DEMO, DEMO2])
def test_every_policyholder_page_fits_a_phone_in_one_language(page, live_server, email, locale):
    set_account_language(live_server, email, locale)
    try:
        page.goto("/login")
        sign_in(page, email)
        page.wait_for_url(live_server.url("/"))
        who = email.split("@")[0]
        _visit(page, "/", f"{who}-{locale}-asset-sheet")
        policies = _links(page, r"/policies/[^/]+")
        for path in policies:
            number = path.rsplit("/", 1)[1]
            _visit(page, path, f"{who}-{locale}-policy-{number}")
            _visit(page, f"{path}/services", f"{who}-{locale}-services-{number}")
            _visit(page, f"{path}/premiums", f"{who}-{locale}-premiums-{number}")
            _visit(page, f"/claims/new?policy={number}", f"{who}-{locale}-claim-new-{number}")
        for path, name in (("/assets", "assets"), ("/assets/external/new", "assets-new"), ("/pay", "pay"),
                           ("/payments", "payments"), ("/requests", "requests"), ("/claims", "claims")):
            _visit(page, path, f"{who}-{locale}-{name}")
        for path in _links(page, r"/(requests|claims|payments)/[A-Z0-9]+")[:3]:
            _visit(page, path, f"{who}-{locale}-{path.strip('/').replace('/', '-')}")
    finally:
        set_account_language(live_server, email, "zh")


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_presale_page_fits_a_phone_in_one_language(page, live_server, locale):
    page.goto("/products")
    if locale == "en":
        page.locator("[data-test=language]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    _visit(page, "/products", f"presale-{locale}-products")
    for path in _links(page, r"/products/[^/?]+")[:2]:
        _visit(page, path, f"presale-{locale}-{path.strip('/').replace('/', '-')}")
    _visit(page, "/quote", f"presale-{locale}-quote")
    _visit(page, "/learn", f"presale-{locale}-learn")
    for path in _links(page, r"/learn/[^/?]+"):
        _visit(page, path, f"presale-{locale}-{path.strip('/').replace('/', '-')}")
    _visit(page, "/advisor", f"presale-{locale}-advisor")
    _visit(page, "/login", f"presale-{locale}-login")
    _visit(page, "/console/login", f"console-{locale}-login")


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_console_page_fits_a_phone_in_one_language(page, live_server, policy_numbers, locale):
    # An authenticator code is good once: wait for a fresh one if the last test used this one,
    # and keep clear of the code's last moments.
    while int(time.time() // 30) == _LAST_CODE_STEP.get(SUPERVISOR) or 30 - time.time() % 30 < 1.5:
        time.sleep(0.5)
    _LAST_CODE_STEP[SUPERVISOR] = int(time.time() // 30)
    page.goto("/console/login")
    page.fill("#email", SUPERVISOR)
    page.fill("#password", DEMO_PASSWORD)
    page.fill("#code", live_server.totp(SUPERVISOR).now())
    page.click("form.stack button[type=submit]")
    page.wait_for_url(live_server.url("/console/"))
    if locale == "en":
        page.locator("[data-test=language]").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    try:
        _visit(page, f"/console/?q={policy_numbers[DEMO][0]}", f"console-{locale}-search")
        for path in _links(page, r"/console/customers/[^/?]+")[:1]:
            _visit(page, path, f"console-{locale}-customer")
        for path, name in (("/console/queues", "queues"), ("/console/requests", "requests"),
                           ("/console/claims", "claims"), ("/console/payments", "payments"),
                           ("/console/statistics", "statistics"), ("/console/outbox", "outbox")):
            _visit(page, path, f"console-{locale}-{name}")
    finally:
        if locale == "en":
            page.locator("[data-test=language]").click()


def test_the_menu_opens_without_script_by_tap_and_by_keyboard(browser, live_server):
    """The site's policy allows no inline script and the menu needs none: a disclosure widget."""
    context, page = _context_and_page(
        browser, live_server, java_script_enabled=False,
        viewport={"width": PHONE, "height": 844}, is_mobile=True, has_touch=True,
    )
    try:
        page.goto("/login")
        sign_in(page, DEMO)
        page.wait_for_url(live_server.url("/"))
        button, pay = page.locator("[data-test=menu-button]"), page.locator("[data-test=nav-pay]")
        expect(button).to_be_visible()
        expect(pay).to_be_hidden()
        expect(page.locator("[data-test=language]")).to_be_visible()  # not folded away
        button.tap()
        expect(pay).to_be_visible()
        assert page.get_by_role("link", name="缴纳保费").is_visible()
        button.tap()
        expect(pay).to_be_hidden()

        button.focus()  # a keyboard opens it as well, and the links follow in tab order
        page.keyboard.press("Enter")
        expect(pay).to_be_visible()
        pay.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(live_server.url("/pay"))

        # On a desktop every link is in the bar and there is no menu to open.
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        page.goto("/")
        expect(button).to_be_hidden()
        expect(pay).to_be_visible()
        expect(page.locator("[data-test=logout]")).to_be_visible()
    finally:
        page.check_now()
        context.close()
