"""A visitor without a policy, in a real Chromium on a phone, in Chinese, against the real
gunicorn: registers with a new mobile (the code read from the local SMS gateway's outbox folder)
and a password, applies for term life giving her own particulars as the policy owner, answers
the questionnaire, watches the live quote, submits, is accepted straight through, pays the first
premium with the sandbox's test card, and finds the issued policy on her asset sheet and its
e-policy in her inbox. A second visitor giving the ID number of a policyholder we already have is
refused with the message and nothing about that person. Every page passes the checks of
page_checks.py (390 and 1280 px, one language).

PORTAL_SCREENSHOTS=<folder> keeps a screenshot of each step at both widths."""
from __future__ import annotations

import re
import time
from datetime import date

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, if required) with the reason
    expect = None

from paas.underwriting.newcomer import KNOWN
from paas.underwriting.rulebook import current
from portal.demo.people import PEOPLE, resident_id
from tests.e2e.conftest import PHONE, _context_and_page
from tests.e2e.support import fill_about_the_life, zh
from tests.e2e.test_browser_newcomer import _shot
from tests.outbox_support import code_in, local_messages

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "lotus-harbour-4821"
OWNER, BORN, SEQUENCE = "陈晓", date(1990, 5, 17), 321
WEBHOOK_WAIT_S = 30


@pytest.fixture
def visitor_phone(browser, private_live_server):
    """A fresh phone-sized browser in Chinese on a server of its own (the walk makes a customer)."""
    context, page = _context_and_page(browser, private_live_server, **PHONE)
    yield page, private_live_server
    page.check_now()  # the last page the test saw
    context.close()


def _code_to(server, mobile: str, seconds: float = 10.0) -> str:
    """The code of the newest SMS to ``mobile`` the local gateway delivered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in local_messages(server.data_dir):  # newest first
            if message.channel == "sms" and message.recipient == mobile and re.search(r"\d{6}", message.body):
                return code_in(message.body)
        time.sleep(0.1)
    raise AssertionError(f"no code for {mobile} in {server.data_dir / 'outbox'}")


def _register(page, server, digits: str, shot: str) -> None:
    page.goto("/register")
    expect(page.locator("h1")).to_have_text(zh("Register with your mobile"))
    page.fill("#mobile", digits)
    page.click("[data-test=register-submit]")
    expect(page.locator("[data-test=code-sent]")).to_contain_text(
        zh("We sent a code to the number ending %(ending)s. It works for 5 minutes.", ending=digits[-2:]))
    _shot(page, f"{shot}-code")
    page.fill("#code", _code_to(server, "+86" + digits))
    page.fill("#password", PASSWORD)
    page.click("[data-test=code-submit]")
    page.wait_for_url(server.url("/products"))  # signed in, with no policy: the products


def _about_me(page, name: str, id_number: str, born: date = BORN) -> None:
    about = page.locator("[data-test=about-you]")
    expect(about).to_be_visible()
    # Each field on a row of its own, as wide as the others: the text boxes once sat unstyled
    # beside their labels, a third of the width of the choice of sex below them.
    boxes = {field: page.locator(f"#{field}").bounding_box() for field in
             ("owner_name", "owner_gender", "owner_birth_date", "owner_id_number")}
    widths = {field: round(box["width"]) for field, box in boxes.items()}
    assert len(set(widths.values())) == 1, f"the owner's fields are not one width: {widths}"
    lefts = {field: round(box["x"]) for field, box in boxes.items()}
    assert len(set(lefts.values())) == 1, f"the owner's fields do not line up: {lefts}"
    page.fill("#owner_name", name)
    page.select_option("#owner_gender", "F")
    page.fill("#owner_birth_date", born.isoformat())
    page.fill("#owner_id_number", id_number)


def _fill_application(page) -> str:
    """Term life, 500,000 over 20 years for herself, healthy, office work: nothing in the
    rulebook refers it (tests/underwriting_support.form is the same in HTTP). Returns the quote."""
    page.fill("#sum_assured", "500000")
    page.select_option("#term", "20")
    quote = page.locator("[data-test=quote-premium]")
    expect(quote).to_contain_text("¥")  # the live quote, by script, before anything is saved
    live = quote.inner_text()
    page.click("[data-test=update-quote]")
    expect(page.locator("[data-test=saved]")).to_be_visible()
    expect(quote).to_have_text(live)  # the server's quote agrees with the one the script showed
    questions = page.locator("[data-test=health] fieldset.yes-no")
    expect(questions).to_have_count(len(current().questions_for("TERM")))
    for radio in page.locator("[data-test=health] fieldset.yes-no input[value=no]").all():
        radio.check()
    fill_about_the_life(page, height="165", weight="58", income="200000", beneficiary="张三")
    return live


def _pay_with_the_test_card(page, server, amount: str) -> None:
    page.click("[data-test=pay-first-premium]")
    page.wait_for_url(re.compile(rf"^http://127\.0\.0\.1:{server.port}/sandbox/checkout/cs_test_"))
    expect(page.locator("[data-test=sandbox-checkout]")).to_contain_text(amount)
    _shot(page, "visitor-checkout")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#expiry", "12/34")
    page.fill("#cvc", "123")
    page.click("[data-test=sandbox-pay]")


def test_a_visitor_registers_applies_pays_and_finds_the_policy_and_its_e_policy(visitor_phone):
    page, server = visitor_phone
    page.allow(OWNER, "张三")  # the names she typed herself
    _register(page, server, "13611113333", "visitor")
    _shot(page, "visitor-products")
    page.locator("[data-test=apply]").first.click()
    page.wait_for_url(server.url("/apply"))
    _about_me(page, OWNER, resident_id("440106", BORN, SEQUENCE))
    _shot(page, "visitor-about-you")
    page.click("[data-test=apply-TERM]")
    page.wait_for_url(re.compile(r".*/applications/NB[0-9A-F]{10}$"))
    reference = page.url.rsplit("/", 1)[-1]
    expect(page.locator("[data-test=application-form]")).to_contain_text(OWNER)  # she is the owner
    live = _fill_application(page)
    _shot(page, "visitor-application")
    page.click("[data-test=submit-application]")
    page.wait_for_url(server.url(f"/applications/{reference}"))
    expect(page.locator("[data-test=status]")).to_have_text(zh("Accepted: pay the first premium"))
    amount = live.split("¥", 1)[1].strip()
    expect(page.locator("[data-test=premium]")).to_contain_text(amount)
    _shot(page, "visitor-accepted")

    _pay_with_the_test_card(page, server, amount)
    page.wait_for_url(re.compile(rf".*/applications/{reference}$"))
    deadline = time.monotonic() + WEBHOOK_WAIT_S  # issued once the sandbox's signed webhook is back
    while not page.locator("[data-test=issued]").count() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(page.locator("[data-test=status]")).to_have_text(zh("Policy issued"))
    _shot(page, "visitor-issued")
    page.click("[data-test=policy-link]")
    page.wait_for_url(re.compile(r".*/policies/P\d+$"))
    number = page.url.rsplit("/", 1)[-1]

    # Her asset sheet: the one policy, in force; her inbox: its e-policy and the first premium's receipt.
    page.goto("/")
    expect(page.locator("h1")).to_have_text(zh("Hello, %(name)s", name=OWNER))  # by name, not the masked mobile
    sheet = page.locator("table[data-test=asset-sheet]")
    expect(sheet.locator("tbody tr")).to_have_count(1)
    expect(sheet).to_contain_text(number)
    expect(page.locator("[data-test=in-force]")).to_have_text("1")
    expect(page.locator("[data-test=sum-" + number + "]")).to_contain_text("500,000")
    _shot(page, "visitor-asset-sheet")
    expect(page.locator("[data-test=unread-notices]")).to_have_text("2")
    page.click("[data-test=unread-notices]")
    page.wait_for_url(re.compile(r".*/notices$"))
    notices = page.locator("table[data-test=notices] tbody tr")
    expect(notices).to_have_count(2)
    for row in notices.all():
        expect(row).to_contain_text(number)
    expect(page.locator("[data-test=open-notice]", has_text=zh("Premium receipt"))).to_have_count(1)
    e_policy = page.locator("[data-test=open-notice]", has_text=zh("Electronic policy"))
    expect(e_policy).to_have_count(1)
    _shot(page, "visitor-inbox")
    e_policy.click()
    page.wait_for_url(re.compile(r".*/notices/\d+$"))
    letter = page.locator("[data-test=letter]")
    expect(letter.locator("h1")).to_have_text(zh("Electronic policy"))
    expect(letter).to_contain_text(number)
    expect(letter).to_contain_text(OWNER)
    _shot(page, "visitor-e-policy")


def test_a_visitor_giving_a_policyholders_id_number_is_refused_without_details(visitor_phone):
    page, server = visitor_phone
    known = next(p for p in PEOPLE if p.key == "liu_yang")  # a policyholder with no online account yet
    her_policy = re.search(r"ID number " + known.id_number + r"\s+policy (\S+)", server.seed_output)
    assert her_policy, f"the logins block does not name her policy:\n{server.seed_output}"
    page.allow(OWNER)
    _register(page, server, "13611114444", "visitor-known")
    page.goto("/apply")
    _about_me(page, OWNER, known.id_number, known.born)  # her number, her birth date
    with page.expect_response(lambda r: r.url == server.url("/apply") and r.request.method == "POST") as answer:
        page.click("[data-test=apply-TERM]")
    assert answer.value.status == 422
    expect(page.locator("[data-test=error-owner_id_number]")).to_have_text(zh(KNOWN))
    expect(page.locator("#owner_name")).to_have_value(OWNER)  # what she typed is kept
    _shot(page, "visitor-known-id")
    shown = page.content()
    for detail in (known.name, known.mobile[-4:], her_policy[1], known.id_number):
        assert detail not in shown, f"the refusal shows {detail!r}"
    assert not re.search(r"C\d{8}", shown), "a customer number on the refusal"
    # Nothing was made: still a visitor, asked for her particulars again, with no application.
    page.goto("/apply")
    expect(page.locator("[data-test=about-you]")).to_be_visible()
    page.goto("/applications")
    expect(page.locator("[data-test=no-applications]")).to_be_visible()
    # Every link of her bar opens (or sends her on) without a server error, though she has no record.
    links = page.locator("header.bar nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/notices" in links and "/pay" in links, links
    for href in links:
        answer = page.goto(href)
        assert answer.status < 500, f"{href} answered {answer.status} to a visitor"
