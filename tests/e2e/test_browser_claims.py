"""A claim in a real Chromium against the real gunicorn: the demo policyholder reports a
hospital stay on the critical illness policy (the kinds it does not cover say why), uploads
the documents it needs, the demo adjuster (level 2, within whose limit ten days' hospital cash
falls) finds it in the queue and approves it, and the claimant sees the payout on the timeline."""
from __future__ import annotations

import re
import struct
import time
import zlib
from datetime import date, timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from tests.e2e.conftest import _context_and_page
from tests.e2e.support import DEMO, DEMO_PASSWORD, sign_in, zh

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ADJUSTER = "adjuster@example.com"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    """A 1x1 white PNG, built here so the test carries no binary file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")


def _hospital_cash_policy(page) -> str:
    """The demo policyholder's policy that offers a hospitalisation claim (the critical illness one)."""
    for number in re.findall(r'href="/policies/([^"/]+)"', page.content()):
        page.goto(f"/claims/new?policy={number}")
        if page.locator("#kind-hospitalisation").count():
            return number
    raise AssertionError("no policy of the demo policyholder offers a hospitalisation claim")


def _upload(page, code: str, name: str, mime: str, data: bytes) -> None:
    page.set_input_files(f"#file-{code}", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.click(f"[data-test=send-{code}]")
    expect(page.locator(f"[data-test=slot-{code}] a")).to_have_text(name)


def _staff_sign_in(page, server, email: str) -> None:
    if 30 - time.time() % 30 < 1.5:  # keep clear of the code's last moments
        time.sleep(2)
    page.goto("/console/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.fill("#code", server.totp(email).now())
    page.click("form.stack button[type=submit]")
    page.wait_for_url(server.url("/console/"))


def test_report_upload_approve_and_the_claimant_sees_the_decision(browser, private_page, private_live_server):
    page, server = private_page, private_live_server
    page.goto("/login")
    sign_in(page, DEMO)
    page.wait_for_url(server.url("/"))
    number = _hospital_cash_policy(page)
    expect(page.locator("[data-test=not-offered-maturity]")).to_be_visible()

    page.check("#kind-hospitalisation")
    page.fill("#incident_date", (date.today() - timedelta(days=12)).isoformat())
    page.fill("#facts", "李娜因肺炎在北京市朝阳医院住院治疗十天。")
    page.click("[data-test=submit-claim]")
    page.wait_for_url(re.compile(r".*/claims/CL[0-9A-F]{10}$"))
    reference = page.locator("[data-test=claim-reference]").inner_text()
    expect(page.locator("[data-test=claim-status]")).to_have_text(zh("Reported"))
    expect(page.locator("[data-test=missing-reminder]")).to_be_visible()

    _upload(page, "discharge_summary", "discharge.pdf", "application/pdf", PDF)
    _upload(page, "invoices", "invoice.png", "image/png", _png())
    _upload(page, "id_card", "id-card.png", "image/png", _png())
    expect(page.locator("[data-test=missing-reminder]")).to_have_count(0)

    adjuster_context, desk = _context_and_page(browser, server, viewport={"width": 1280, "height": 900})
    try:
        _staff_sign_in(desk, server, ADJUSTER)
        desk.click("[data-test=nav-claims]")
        row = desk.locator(f"[data-test=queued-{reference}]")
        expect(row).to_contain_text(zh("Hospitalisation"))
        row.locator("a").click()
        expect(desk.locator("[data-test=policy-summary]")).to_contain_text(number)
        expect(desk.locator("img.document-image")).to_have_count(2)
        desk.fill("#hospital_days", "10")
        desk.click("[data-test=approve]")
        expect(desk.locator("[data-test=claim-status]")).to_have_text(zh("Paid"))
    finally:
        adjuster_context.close()

    page.reload()
    expect(page.locator("[data-test=claim-status]")).to_have_text(zh("Paid"))
    expect(page.locator("[data-test=timeline-paid]")).to_be_visible()
    expect(page.locator("[data-test=approved-amount]")).to_have_text("¥5,000.00")
    page.click("[data-test=nav-claims]")
    expect(page.locator(f"[data-test=claim-{reference}]")).to_contain_text(zh("Paid"))
