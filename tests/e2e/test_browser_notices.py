"""Electronic notices in a real Chromium against the real gunicorn: the demo policyholder
opens an e-policy from the inbox, downloads its PDF (PAdES-signed, carrying the signed data),
and a stranger's browser, not signed in, checks its code on /verify: genuine, with only the
type, the date and the masked name. Desktop and phone."""
from __future__ import annotations

import io
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from tests.e2e.support import DEMO, sign_in, zh

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open_first_notice(page, live_server) -> str:
    page.goto("/login")
    sign_in(page, DEMO)
    page.wait_for_url(live_server.url("/"))
    unread = int(page.locator("[data-test=unread-notices]").inner_text())
    assert unread >= 1
    page.click("[data-test=unread-notices]")
    page.wait_for_url(re.compile(r".*/notices$"))
    expect(page.locator("h1")).to_have_text(zh("My notices"))
    # This browser is a new device: its sign-in notice is the newest; the e-policy is a letter
    page.locator("[data-test=open-notice]", has_text=zh("Electronic policy")).first.click()
    page.wait_for_url(re.compile(r".*/notices/\d+$"))
    expect(page.locator("[data-test=letter] h1")).to_have_text(zh("Electronic policy"))
    shown = page.locator(".notice-code").first.inner_text()  # "验证码：XXXX-XXXX-XXXX"
    found = re.search(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", shown)
    assert found, shown
    return found.group(0)


def test_open_a_notice_download_its_pdf_and_verify_its_code(page, live_server, browser):
    code = _open_first_notice(page, live_server)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    with page.expect_download() as download:
        page.click("[data-test=download-pdf]")
    pdf = download.value
    with open(pdf.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF") and b"/ByteRange" in data and pdf.suggested_filename.endswith(".pdf")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert code in reader.pages[0].extract_text().replace("\n", "")

    stranger = browser.new_context(base_url=live_server.base_url, locale="zh-CN")
    try:
        check = stranger.new_page()
        check.goto("/verify")
        check.fill("[data-test=verify-code]", code.lower().replace("-", " "))
        check.click("[data-test=verify]")
        expect(check.locator("[data-test=verdict-genuine]")).to_be_visible()
        expect(check.locator("[data-test=verdict-type]")).to_have_text(zh("Electronic policy"))
        expect(check.locator("[data-test=verdict-recipient]")).to_have_text("张*")
        assert "张伟" not in check.content()
        check.goto("/verify?code=AAAA-BBBB-CCCC")
        expect(check.locator("[data-test=verdict-unknown]")).to_be_visible()
    finally:
        stranger.close()


def test_the_inbox_and_a_notice_on_a_phone(phone_page, live_server):
    code = _open_first_notice(phone_page, live_server)
    expect(phone_page.locator("[data-test=download-pdf]")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the notice page scrolls sideways on a phone ({width}px)"
    assert code
