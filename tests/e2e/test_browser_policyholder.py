"""The policyholder web in a real Chromium against the real gunicorn: sign in, the asset
sheet, one policy, switching language, signing out; desktop and phone."""
from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from tests.e2e.support import DEMO, DEMO2, set_account_language, sign_in, zh

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
# demo@example.com (张伟) owns four policies: TERM and WLPAR in force, CI in its grace
# period, ENDOW lapsed. Cover counts in force + grace: 1,000,000 + 300,000 + 500,000; premiums
# per year count those still payable, as the pricing engine sets them: TERM 3,095.92 +
# WLPAR 7,710.27 + CI 439.16 x 12.
DEMO_TOTALS = {"in-force": "3", "total-cover": "¥1,800,000.00", "total-premium": "¥16,076.11"}
# demo2@example.com (王芳): ULINK in force (3,125 a quarter), WLPAR paid up, ENDOW matured,
# TERM surrendered.
DEMO2_TOTALS = {"in-force": "2", "total-cover": "¥317,364.98", "total-premium": "¥12,500.00"}  # the paid-up policy counts its reduced ¥67,364.98


@pytest.fixture
def demo_in_chinese(live_server):
    """demo@example.com with Chinese as its saved language, before and after the test.
    Switching language while signed in is saved on the account and applies at the next
    sign-in in any browser, so a test that switches to English must not leak it."""
    set_account_language(live_server, DEMO, "zh")
    yield DEMO
    set_account_language(live_server, DEMO, "zh")


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def assert_totals(page, expected: dict[str, str]) -> None:
    for key, value in expected.items():
        assert page.locator(f"[data-test={key}]").inner_text().strip() == value, key


def test_desktop_journey_chinese_then_english_then_sign_out(page, live_server, demo_in_chinese):
    # Not signed in: the asset sheet sends us to sign in, in Chinese by default.
    page.goto("/")
    assert path_of(page) == "/login?next=/"
    assert html_lang(page) == "zh-CN"
    assert page.locator("[data-test=language]").inner_text() == "English"

    sign_in(page, demo_in_chinese)
    page.wait_for_url(live_server.url("/"))
    assert html_lang(page) == "zh-CN"

    # The asset sheet, in Chinese.
    sheet = page.locator("table[data-test=asset-sheet]")
    rows = sheet.locator("tbody tr")
    assert rows.count() == 4
    assert_totals(page, DEMO_TOTALS)
    assert "张伟" in page.locator("h1").inner_text()
    assert page.locator("h2").first.inner_text() == zh("Asset sheet")
    assert page.locator("[data-test=logout]").inner_text() == zh("Sign out")
    table_text = sheet.inner_text()
    assert "安心定期寿险" in table_text  # product names in Chinese
    assert "Assured Term Life" not in table_text
    assert CHINESE_DATE.search(table_text)  # dates written 2027年6月15日
    term_row = rows.filter(has_text="安心定期寿险")
    assert term_row.locator(".status").inner_text() == zh("In force")
    assert sheet.locator(".status-lapsed").inner_text() == zh("Lapsed")

    # One policy.
    term_link = term_row.locator("a")
    policy_number = term_link.inner_text().strip()
    term_link.click()
    page.wait_for_url(live_server.url(f"/policies/{policy_number}"))
    assert html_lang(page) == "zh-CN"
    assert policy_number in page.locator("h1").inner_text()
    assert "安心定期寿险" in page.locator("h1").inner_text()
    assert page.locator("[data-test=sum-assured]").inner_text() == "¥1,000,000.00"
    assert page.locator("[data-test=next-due]").inner_text() == "2027年6月15日"
    assert "李娜" in page.locator("[data-test=beneficiaries]").inner_text()
    assert "110105" in page.content() and "19850312" not in page.content()  # ID numbers masked

    # Switch to English on the policy page: same page, now in English.
    page.locator("[data-test=language]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert path_of(page) == f"/policies/{policy_number}"
    assert "Assured Term Life" in page.locator("h1").inner_text()
    assert page.locator("[data-test=next-due]").inner_text() == "15 Jun 2027"
    assert page.locator("[data-test=logout]").inner_text() == "Sign out"
    assert page.locator("[data-test=language]").inner_text() == "中文"

    # Back to the asset sheet, still in English.
    page.get_by_role("link", name="My policies").first.click()
    page.wait_for_url(live_server.url("/"))
    assert html_lang(page) == "en"
    assert page.get_by_role("heading", name="Asset sheet").is_visible()
    assert_totals(page, DEMO_TOTALS)
    assert page.locator("table[data-test=asset-sheet] tbody tr").count() == 4
    assert "In force" in page.locator("table[data-test=asset-sheet]").inner_text()

    # Sign out: back at the sign-in page, and the asset sheet is closed again.
    page.locator("[data-test=logout]").click()
    page.wait_for_url(re.compile(r"/login$"))
    assert page.locator("#identifier").is_visible()
    page.goto("/")
    assert path_of(page) == "/login?next=/"
    assert page.locator("[data-test=asset-sheet]").count() == 0
    page.goto(f"/policies/{policy_number}")
    assert path_of(page) == f"/login?next=/policies/{policy_number}"


def test_phone_asset_sheet_and_language_switch(phone_page, live_server, demo_in_chinese):
    page = phone_page
    page.goto("/login")
    assert html_lang(page) == "zh-CN"
    sign_in(page, demo_in_chinese)
    page.wait_for_url(live_server.url("/"))
    assert html_lang(page) == "zh-CN"

    # On a phone each policy is a card: no column headings, every row and its link visible,
    # nothing wider than the screen.
    rows = page.locator("table[data-test=asset-sheet] tbody tr")
    assert rows.count() == 4
    assert not page.locator("table[data-test=asset-sheet] thead").is_visible()
    width = page.viewport_size["width"]
    for i in range(4):
        row = rows.nth(i)
        row.scroll_into_view_if_needed()
        assert row.is_visible()
        assert row.locator("a").is_visible()
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"row {i} is wider than the screen: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways on a phone"
    assert_totals(page, DEMO_TOTALS)

    # The language switch works on the phone too, and back.
    page.locator("[data-test=language]").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert path_of(page) == "/"
    # On the phone the links and signing out are in the menu; it opens with a tap.
    assert not page.locator("[data-test=logout]").is_visible()
    page.locator("[data-test=menu-button]").tap()
    assert page.locator("[data-test=logout]").inner_text() == "Sign out"
    assert page.get_by_role("heading", name="Asset sheet").is_visible()
    assert rows.first.is_visible()

    page.locator("[data-test=language]").tap()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.locator("[data-test=menu-button]").tap()
    assert page.locator("[data-test=logout]").inner_text() == zh("Sign out")
    assert rows.count() == 4


def test_wrong_password_is_refused_with_a_message(page, live_server):
    page.goto("/login")
    sign_in(page, DEMO, "not-the-password")
    error = page.locator("[data-test=login-error]")
    error.wait_for()
    assert error.inner_text() == zh("The account or password is not right. Please try again.")
    assert path_of(page) == "/login"
    assert page.locator("#identifier").input_value() == DEMO  # kept, so only the password needs retyping
    assert page.locator("#password").input_value() == ""
    page.goto("/")
    assert path_of(page) == "/login?next=/"


def test_each_policyholder_sees_only_their_own_policies(page, live_server, policy_numbers):
    page.goto("/login")
    sign_in(page, DEMO2)
    page.wait_for_url(live_server.url("/"))

    rows = page.locator("table[data-test=asset-sheet] tbody tr")
    assert rows.count() == 4
    assert "王芳" in page.locator("h1").inner_text()
    assert_totals(page, DEMO2_TOTALS)
    shown = [a.strip() for a in page.locator("table[data-test=asset-sheet] tbody a").all_inner_texts()]
    assert sorted(shown) == sorted(policy_numbers[DEMO2])
    assert not set(shown) & set(policy_numbers[DEMO])

    # Their own policy opens...
    own = page.goto(f"/policies/{shown[0]}")
    assert own.status == 200

    # ...someone else's is "not found", exactly like one that does not exist, and shows
    # nothing of it.
    for foreign in policy_numbers[DEMO]:
        response = page.goto(f"/policies/{foreign}")
        assert response.status == 404, foreign
        main = page.locator("main").inner_text()
        assert page.locator("[role=alert]").inner_text() in not_found_messages(foreign)
        for secret in ("张伟", "李娜", "¥", "安心定期寿险", "Assured Term Life"):
            assert secret not in main, (foreign, secret)
    response = page.goto("/policies/P0000000000")
    assert response.status == 404
    assert page.locator("[role=alert]").inner_text() in not_found_messages("P0000000000")


def not_found_messages(number: str) -> set[str]:
    """The policy is not among yours, in either language (demo2's saved language is
    whatever the last test left it at)."""
    msgid = "We could not find policy %(number)s among your policies."
    return {zh(msgid, number=number), msgid % {"number": number}}
