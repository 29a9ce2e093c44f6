"""The console's SMS simulator in a real Chromium against the real server: a colleague types
as the demo customer's phone - POL, then WD on the dividend policy, then the code the phone
received - and sees the replies; the code never shows on the page."""
from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser_console import fresh_code, staff_sign_in
from tests.outbox_support import code_in, local_messages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZHANG_WEI_MOBILE = "+8613800138000"
_DIVIDEND_POLICY = re.compile(r"保单(P\d{10}) 福寿分红终身寿险")
_REFERENCE = re.compile(r"SR[0-9A-F]{10}")
_SIX_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{6}(?![0-9A-Za-z])")  # the code SMS, not our reply naming the request


def _send(page, text: str) -> str:
    """Type ``text`` as the phone and return the newest reply."""
    replies = page.locator("[data-test=sms-sent]")
    before = replies.count()
    page.fill("[data-test=sms-message]", text)
    page.click("[data-test=sms-send]")
    page.wait_for_function("n => document.querySelectorAll('[data-test=sms-sent]').length > n", arg=before)
    return page.locator("[data-test=sms-sent]").last.inner_text()


def test_pol_wd_and_the_code_through_the_simulator(private_page, private_live_server):
    page, server = private_page, private_live_server
    staff_sign_in(page, "clerk@example.com", fresh_code(server, "clerk@example.com"))
    page.wait_for_url(server.url("/console/"))
    page.click("[data-test=nav-sms]")
    page.fill("[data-test=sms-mobile-view]", ZHANG_WEI_MOBILE)
    page.locator("form.sms-number button").click()
    page.wait_for_url(re.compile(r"/console/sms\?mobile="))

    policies = _send(page, "ＰＯＬ")  # full-width, as a Chinese keyboard types it
    found = _DIVIDEND_POLICY.search(policies)
    assert found, policies
    number = found[1]

    asked = _send(page, f"领取 {number[-4:]} 100")
    assert "验证码" in asked and "100.00" in asked
    reference = _REFERENCE.search(asked)[0]
    codes = [m for m in local_messages(server.data_dir)
             if m.recipient == ZHANG_WEI_MOBILE and reference in m.body and _SIX_DIGITS.search(m.body)]
    assert codes, "the code SMS was not delivered to the phone"
    code = code_in(codes[0].body)
    assert "••••••" in page.locator("[data-test=sms-thread]").inner_text()  # the code SMS, as dots
    assert code not in page.content()

    done = _send(page, code)
    assert reference in done and "办理完成" in done
    assert code not in page.content()  # what was typed is kept with the code masked

    again = _send(page, code)  # the same code a second time confirms nothing
    assert "没有等待" in again
