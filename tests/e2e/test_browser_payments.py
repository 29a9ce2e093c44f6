"""Paying a premium in a real Chromium against the real gunicorn with the sandbox provider:
the pay page, the sandbox's card page, and the receipt once the asynchronous, signed
webhook has come back to the same server; then a declined card."""
from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from tests.e2e.support import DEMO, sign_in, zh

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WEBHOOK_WAIT_MS = 20_000  # the receipt page refreshes itself every few seconds until then


def _pay_oldest_due(page, card: str) -> str:
    page.click("[data-test=nav-pay]")
    page.wait_for_url(re.compile(r".*/pay$"))
    first = page.locator("table[data-test=dues] input[type=checkbox]").first
    expect(first).to_be_checked()
    due = first.get_attribute("value")
    page.click("[data-test=pay-selected]")
    page.wait_for_url(re.compile(r".*/sandbox/checkout/cs_test_"))
    expect(page.locator("[data-test=sandbox-checkout]")).to_contain_text("439.16")
    page.fill("#card_number", card)
    page.fill("#expiry", "12/34")
    page.fill("#cvc", "123")
    page.click("[data-test=sandbox-pay]")
    return due


def test_pay_a_premium_by_card_then_a_declined_card(private_page, private_live_server):
    page = private_page
    page.goto("/login")
    sign_in(page, DEMO)
    page.wait_for_url(private_live_server.url("/"))

    # 4242: paid; the receipt appears once the webhook has been delivered and applied.
    due = _pay_oldest_due(page, "4242 4242 4242 4242")
    page.wait_for_url(re.compile(r".*/payments/Y\d{13}$"))
    expect(page.locator("[data-test=receipt]")).to_be_visible(timeout=WEBHOOK_WAIT_MS)
    expect(page.locator("[data-test=payment-status]")).to_have_text(zh("Paid"))
    policy_number, _, due_date = due.partition(":")
    expect(page.locator("[data-test=payment-premiums]")).to_contain_text(policy_number)
    expect(page.locator("[data-test=paid-to]")).to_have_count(1)
    expect(page.locator("[data-test=card-last4]")).to_contain_text("4242")
    # Back, to the provider's page: it is paid, so the receipt again, not "this checkout is closed".
    page.go_back()
    page.wait_for_url(re.compile(r".*/payments/Y\d{13}$"))
    expect(page.locator("[data-test=receipt]")).to_be_visible()
    page.goto(f"/policies/{policy_number}")
    expect(page.locator("[data-test=premiums]")).to_contain_text(
        "{0}年{1}月{2}日".format(*(int(part) for part in due_date.split("-"))))

    # 4000 0000 0000 0002: declined on the card page; the payment shows as not paid.
    next_due = _pay_oldest_due(page, "4000 0000 0000 0002")
    assert next_due != due
    expect(page.locator("[data-test=declined]")).to_be_visible()
    page.click("[data-test=back-to-merchant]")
    page.goto("/payments")
    page.locator("table[data-test=payments] a").first.click()
    expect(page.locator("[data-test=failed]")).to_be_visible(timeout=WEBHOOK_WAIT_MS)
    expect(page.locator("[data-test=failure-reason]")).to_have_text(zh("Your bank declined the card."))
    page.click("[data-test=try-again]")
    expect(page.locator(f"table[data-test=dues] input[value='{next_due}']")).to_be_checked()


def test_an_english_browser_is_answered_in_english_with_an_icon_and_can_choose_chinese(browser, live_server):
    context = browser.new_context(base_url=live_server.base_url, locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert page.request.get(icon).status == 200 and page.request.get("/favicon.ico").status == 200
        page.click("[data-test=language]")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")  # the choice wins over the browser's
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    finally:
        context.close()
