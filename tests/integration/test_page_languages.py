"""No mixed language on any page: the demo's policyholders and every staff role walk every page
their links reach, in Chinese and in English, and each page is read for words of the other
language (tests/language_checks.py). The demo data is loaded as `make run` loads it, with
what a day brings on top: a correction waiting for a clerk, an address changed, a claim
reported, a code sent by SMS, a premium being paid. Every page of the web and the console is reached by someone."""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import select

from paas.billing.payments import start_payment
from paas.claims.reporting import report
from paas.documents import uploads
from paas.security.models import Account
from paas.security.sessions import principal_of
from paas.servicing import engine
from portal.demo.people import DEMO_PASSWORD
from portal.demo.seed import seed_demo
from tests.language_checks import allow_names, foreign_words, visible_text
from tests.payments_support import URLS
from tests.servicing_support import PDF, address
from tests.web_client import WebClient

# Pages no link leads to on purpose, or that are not pages: files, redirects, a return URL.
NOT_PAGES = {"static", "web.claim_document", "console.claim_document_inline", "console.request_document",
             "console.underwriting_document",
             "web.payment_return", "web.favicon", "web.freeze_page",  # the icon; the alerts' link, a redirect
             "web.session_check",  # a bench baseline that renders nothing (test_session_check)
             "web.confirm_email",  # an e-mail's link: a made-up one answers 422 (its page: test_online_service_pages)
             "web.notice_pdf", "console.print_batch_pdf"}  # a notice's PDF, the mail room's print batch
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")  # a date is written for the reader, never as ISO text
_LINK = re.compile(r'href="(/[^"#]*)"')
_SKIP_PREFIXES = ("/static/", "/api/", "/language/")
_TRACE = __import__("os").environ.get("LANGUAGE_PAGES_TRACE")
PER_ENDPOINT = 12  # enough to see each policy's state; more only repeats the same page


NEW_NAME, NEW_ADDRESS, FACTS, ID_SCAN = "张伟伟", "北京市海淀区中关村大街1号", "因肺炎在人民医院住院十天。", "身份证.pdf"
allow_names(NEW_NAME, NEW_ADDRESS, FACTS, ID_SCAN)  # what the customer typed stays as typed


def _day(uow):
    """The demo, plus a day's events a page shows."""
    logins = seed_demo(uow.platform)
    zhang = uow.session.scalar(select(Account).where(Account.email == "demo@example.com"))
    who = principal_of(zhang)
    term, whole_life, ci, endow = _policies(uow, zhang.customer_id)
    document = uploads.upload(uow, who, zhang.customer_id, purpose="name_id_correction", subject="demo",
                              filename=ID_SCAN, data=PDF)
    engine.start(uow, who, whole_life, "name_id_correction", {"name": NEW_NAME, "document": document.reference},
                 channel="web", idempotency_key="languages-correction")
    new_address = address("中关村大街1号", province="北京市", city="北京市", district="海淀区", postcode="100080")
    engine.start(uow, who, term, "contact_address", new_address, channel="web",
                 idempotency_key="languages-address")
    engine.start(uow, who, term, "contact_phone", {"mobile": "+8613711112222"}, channel="web",
                 idempotency_key="languages-phone")  # a code by SMS: the outbox has something to show
    report(uow, who, ci, kind="hospitalisation", incident_date=date(2026, 11, 1), facts=FACTS,
           claimant_name="", bank_account="1", new_bank_account=None)
    uow.commit()
    return logins, ci


def _pay(uow, policy_number):
    """A premium being paid, started once the customer's language is known (its line items are
    written in it)."""
    zhang = uow.session.scalar(select(Account).where(Account.email == "demo@example.com"))
    started = start_payment(uow, principal_of(zhang), [(policy_number, date(2026, 10, 20))], URLS)
    uow.commit()
    return started


def _policies(uow, customer_id):
    from paas.policies.models import Policy

    rows = uow.session.scalars(select(Policy).where(Policy.owner_id == customer_id).order_by(Policy.issue_date)).all()
    by_product = {p.product.code: p.policy_number for p in rows}
    return by_product["TERM"], by_product["WLPAR"], by_product["CI"], by_product["ENDOW"]


def _crawl(app, web: WebClient, starts: list[str], locale: str, seen_endpoints: set[str]) -> dict[str, list[str]]:
    adapter = app.url_map.bind("localhost")
    counts: dict[tuple, int] = {}
    queue, visited, offending = list(starts), set(), {}
    while queue:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        parts = urlsplit(url)
        try:
            endpoint, args = adapter.match(parts.path, method="GET")
        except Exception:  # noqa: BLE001 - a link to something that is not a GET page here
            continue
        if endpoint in NOT_PAGES:
            continue
        # A service form is one page per kind; other pages, a handful of each.
        key = (endpoint, args.get("kind")) if "kind" in args else (endpoint,)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > (1 if "kind" in args else PER_ENDPOINT):
            continue
        response = web.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        seen_endpoints.add(endpoint)
        if _TRACE:
            print(locale, url)
        html = response.get_data(as_text=True)
        words = foreign_words(html, locale) + _ISO_DATE.findall(visible_text(html, locale))
        if words:
            offending[url] = sorted(set(words))
        for link in _LINK.findall(html):
            link = link.replace("&amp;", "&")
            if not link.startswith(_SKIP_PREFIXES) and link not in visited and "logout" not in link:
                queue.append(link)
    return offending


@pytest.fixture
def day(uow):
    return _day(uow)


def _browser(app, locale: str) -> WebClient:
    browser = WebClient(app.test_client())
    browser.client.set_cookie("lang", locale)
    return browser


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_page_is_in_one_language(app, uow, clock, day, locale):
    logins, ci = day
    seen: set[str] = set()
    offending: dict[str, list[str]] = {}
    anonymous = _browser(app, locale)
    offending |= _crawl(app, anonymous, ["/login", "/products", "/learn", "/quote", "/console/login",
                                         "/password/reset/link?handle=h&token=t"], locale, seen)  # an e-mail's link
    for email in logins.policyholders:
        browser = _browser(app, locale)
        assert browser.login(email, DEMO_PASSWORD).status_code == 302
        starts = ["/", "/assets", "/pay", "/payments", "/claims", "/claims/new", "/requests", "/advisor",
                  "/assets/external/new", "/quote", "/products", "/learn"]
        if email == "demo@example.com":
            started = _pay(uow, ci)
            starts += [f"/payments/{started.reference}", urlsplit(started.checkout_url).path]
        offending |= {f"{email} {url}": words for url, words in _crawl(app, browser, starts, locale, seen).items()}
    for staff in logins.staff:
        clock.advance(timedelta(seconds=30))  # each sign-in takes a fresh authenticator code
        browser = _browser(app, locale)
        code = pyotp.TOTP(staff.totp_secret).at(clock.now())
        assert browser.staff_login(staff.email, DEMO_PASSWORD, code).status_code == 302
        starts = ["/console/", "/console/outbox", "/console/queues", "/console/requests?q=demo",
                  "/console/statistics", "/console/claims", "/console/payments"]
        starts += [f"/console/customers/{number}" for number in _customer_numbers(uow)]
        starts += [f"/console/requests?q={number}" for number in _customer_numbers(uow)]
        offending |= {f"{staff.role} {url}": words for url, words in _crawl(app, browser, starts, locale, seen).items()}
    if _TRACE:
        for url, words in sorted(offending.items()):
            print("OFFENDING", locale, url, words)
    assert offending == {}
    pages = {rule.endpoint for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and rule.endpoint.split(".")[0] in ("web", "console")}
    assert pages - NOT_PAGES - seen == set(), "pages no one reached: give them demo data or a link"


def _customer_numbers(uow):
    from paas.customers.models import Customer

    return uow.session.scalars(select(Customer.customer_number).order_by(Customer.id)).all()
