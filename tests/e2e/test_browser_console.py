"""The back-office console in a real Chromium: staff sign-in with password and authenticator
code, finding a customer, the masked 360° view, revealing one field with a reason, and the
audit chain behind it (checked with the real ``portal audit verify``).

An authenticator code is good once per 30-second step per account, so each test signs in
with a different staff account."""
from __future__ import annotations

import re
import time

import pytest

from portal.demo.people import PEOPLE
from tests.e2e.support import DEMO, DEMO_PASSWORD, zh

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZHANG_WEI = next(p for p in PEOPLE if p.email == DEMO)
VERIFIED = re.compile(r"Audit log intact: (\d+) entries verified")


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def audit_entries(live_server) -> int:
    result = live_server.portal("audit", "verify")
    match = VERIFIED.search(result.stdout)
    assert match, f"unexpected output of `portal audit verify`: {result.stdout!r} {result.stderr!r}"
    return int(match.group(1))


def fresh_code(live_server, email: str) -> str:
    """The current code, but not one about to expire (the server allows one step of drift,
    this just keeps the test far from the edge)."""
    if 30 - time.time() % 30 < 1.5:
        time.sleep(2)
    return live_server.totp(email).now()


def staff_sign_in(page, email: str, code: str) -> None:
    page.goto("/console/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.fill("#code", code)
    page.click("form.stack button[type=submit]")


def test_clerk_finds_a_customer_and_reveals_the_id_number(page, live_server, policy_numbers):
    entries_before = audit_entries(live_server)

    staff_sign_in(page, "clerk@example.com", fresh_code(live_server, "clerk@example.com"))
    page.wait_for_url(live_server.url("/console/"))
    assert page.locator("[data-test=logout]").is_visible()
    assert "孙保全" in page.locator("header").inner_text()  # the clerk's name in the bar

    # Find the customer by one of their policy numbers.
    page.fill("#q", policy_numbers[DEMO][0])
    page.click("form.stack button[type=submit]")
    matches = page.locator("table[data-test=matches] tbody tr")
    matches.first.wait_for()
    # The policy's owner (张伟) and, where it is someone else, its insured.
    assert 1 <= matches.count() <= 2
    owner_row = matches.filter(has_text=ZHANG_WEI.name)
    assert owner_row.count() == 1

    # The 360° view: the ID number is masked.
    owner_row.locator("a").click()
    page.wait_for_url(re.compile(r"/console/customers/[^/]+$"))
    assert ZHANG_WEI.name in page.locator("h1").inner_text()
    full_id = ZHANG_WEI.id_number
    masked = page.locator("[data-test=masked-id_number]")
    assert masked.inner_text() == full_id[:6] + "*" * 8 + full_id[-4:]
    assert full_id not in page.content()
    for number in policy_numbers[DEMO]:
        assert number in page.content()

    # A reason shorter than ten characters is refused; nothing is shown.
    masked_dd = page.locator("dd", has=page.locator("[data-test=masked-id_number]"))
    masked_dd.locator("details.reveal summary").click()
    masked_dd.locator("input[name=reason]").fill("curious")
    masked_dd.locator("button[type=submit]").click()
    refusal = page.locator("[role=alert]")
    refusal.wait_for()
    assert refusal.inner_text() == zh("Say why you need to see this (at least %(count)s characters).", count=10)
    assert page.locator("[data-test=revealed]").count() == 0
    assert full_id not in page.content()

    # With a reason it is revealed, and recorded.
    masked_dd = page.locator("dd", has=page.locator("[data-test=masked-id_number]"))
    masked_dd.locator("details.reveal summary").click()
    masked_dd.locator("input[name=reason]").fill("Customer called to update beneficiary, verifying identity")
    masked_dd.locator("button[type=submit]").click()
    revealed = page.locator("[data-test=revealed]")
    revealed.wait_for()
    assert revealed.inner_text() == full_id
    assert page.locator("[data-test=masked-id_number]").count() == 0
    assert page.locator("[data-test=masked-mobile]").count() == 1  # only the one field
    assert page.locator(".notice").is_visible()

    # The audit chain is intact and has grown (at least: sign-in, search, the reveal).
    entries_after = audit_entries(live_server)
    assert entries_after >= entries_before + 3


def test_wrong_authenticator_code_is_refused(page, live_server):
    email = "adjuster@example.com"
    totp = live_server.totp(email)
    now = time.time()
    valid_now = {totp.at(now + drift) for drift in (-60, -30, 0, 30, 60)}
    wrong = next(f"{n:06d}" for n in range(123456, 1_000_000) if f"{n:06d}" not in valid_now)

    staff_sign_in(page, email, wrong)
    error = page.locator("[data-test=login-error]")
    error.wait_for()
    assert error.inner_text() == zh("The e-mail, password or authenticator code is not right.")
    assert path_of(page) == "/console/login"
    assert page.locator("[data-test=logout]").count() == 0
    page.goto("/console/")
    assert path_of(page) == "/console/login"
