"""A premium whose online payment is held for review (the provider reported another amount or
currency than we asked): the customer is told, in words, that we are checking it and by when
we will be in touch, is not asked to pay it again (web and API answer 422, never 503), and the
nightly cycle neither warns about nor lapses the policy meanwhile."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from iaas.payments.sandbox import SUCCEEDING_CARD
from paas.billing.payments import start_payment
from paas.cycle.runner import run_cycle
from paas.notices.models import PolicyEvent
from tests.cycle_support import SMALL_BATCHES
from tests.factories import PASSWORD, make_policy, make_policyholder, principal_of
from tests.payments_support import URLS, deliver, session_of, take_events

OCT, NOV = date(2026, 10, 20), date(2026, 11, 20)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def held(uow, platform, payments):
    """A monthly policy in grace whose 20 Oct premium was paid by card, but the provider
    reported ¥299.00 for the ¥300.00 asked: the payment is held for review. Beside it, the
    same policy of another customer, unpaid."""
    customer, account = make_policyholder(uow, email="held@example.com")
    policy = make_policy(uow, customer, status="grace", mode="monthly", premium="300.00", issue_date=date(2022, 10, 20),
                         paid_to=OCT)
    other, _ = make_policyholder(uow)
    unpaid = make_policy(uow, other, status="grace", mode="monthly", premium="300.00", issue_date=date(2022, 10, 20),
                         paid_to=OCT)
    uow.commit()
    started = start_payment(uow, principal_of(account), [(policy.policy_number, OCT)], URLS)
    uow.commit()
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    [event] = take_events(payments)
    event["data"]["object"]["amount_total"] = 29900
    assert deliver(platform, event) == "needs_review"
    return policy, started.reference, unpaid


def _pay(web, policy, *dates):
    return web.post_form("/pay", {"due": [f"{policy.policy_number}:{d.isoformat()}" for d in dates]}, token_from="/pay")


def test_the_pay_page_says_we_are_checking_the_payment_and_refuses_paying_it_again(web, held):
    policy, reference, _ = held
    web.login("held@example.com", PASSWORD)
    page = web.text("/pay")
    notice = re.search(r'data-test="in-review">([^<]*)<', page).group(1)
    assert reference in notice and "¥300.00" in notice and "2026年11月27日" in notice and "2026年12月2日" in notice
    assert CJK.search(notice) and "无需再次缴费" in notice
    assert f'value="{policy.policy_number}:' not in page  # no box to tick for it, nor the later ones it comes before
    assert 'type="checkbox"' not in page

    for dates in ((OCT,), (OCT, NOV), (NOV,)):  # the held premium, with the next, or the next alone
        for _attempt in range(3):
            answer = _pay(web, policy, *dates)
            assert answer.status_code == 422, answer.status_code
            error = re.search(r'data-test="pay-error">([^<]*)<', answer.get_data(as_text=True)).group(1)
            assert reference in error and "无需再次缴费" in error

    web.client.set_cookie("lang", "en")
    assert "You do not need to pay again" in web.text("/pay")
    english = _pay(web, policy, OCT).get_data(as_text=True)
    assert "We are checking your payment" in english and "We will contact you by 2 Dec 2026" in english


def test_the_api_shows_the_payment_in_review_and_answers_422_not_503(web, held):
    import jsonschema

    from tests.integration.test_api import _json_schema

    policy, reference, _ = held
    web.login("held@example.com", PASSWORD)
    token = web.client.get("/api/v1/me").json["csrf_token"]
    dues = web.get("/api/v1/dues").json
    first, second = dues["dues"][:2]
    assert first["in_review"]["reference"] == reference and first["in_review"]["amount"] == "300.00"
    assert (first["in_review"]["paid_on"], first["in_review"]["contact_by"]) == ("2026-11-27", "2026-12-02")
    assert CJK.search(first["in_review"]["message"]) and second["in_review"] is None
    english = web.get("/api/v1/dues", headers={"Accept-Language": "en"}).json["dues"][0]["in_review"]["message"]
    assert english.startswith("We are checking your payment") and reference in english
    components = web.get("/api/v1/openapi.json").json["components"]["schemas"]
    jsonschema.validate(dues, _json_schema({**components["DueList"], "components": {"schemas": components}}))

    body = {"dues": [{"policy_number": policy.policy_number, "due_date": OCT.isoformat()}]}
    for language, words in (("zh", "无需再次缴费"), ("en", "You do not need to pay it again")):
        for _attempt in range(3):
            answer = web.client.post("/api/v1/payments", json=body, headers={"X-CSRFToken": token, "Accept-Language": language})
            assert answer.status_code == 422 and answer.json["error"]["field"] == "due"
            assert words in answer.json["error"]["message"] and reference in answer.json["error"]["message"]


def test_the_cycle_neither_warns_about_nor_lapses_a_policy_while_its_payment_is_checked(uow, platform, held):
    policy, _, unpaid = held
    run_cycle(platform, date(2026, 12, 5), options=SMALL_BATCHES, steps=["grace_warning"])  # 15 days before 20 Dec
    run_cycle(platform, date(2026, 12, 20), options=SMALL_BATCHES, steps=["lapse"])  # the day after 60 days of grace
    uow.session.expire_all()
    assert policy.status == "grace"
    assert unpaid.status == "lapsed"
    kinds = {}
    for policy_id, kind in uow.session.execute(select(PolicyEvent.policy_id, PolicyEvent.type).where(
            PolicyEvent.policy_id.in_([policy.id, unpaid.id]), PolicyEvent.type.in_(["grace_warning", "lapsed"]))):
        kinds.setdefault(policy_id, set()).add(kind)
    assert kinds == {unpaid.id: {"grace_warning", "lapsed"}}


def test_with_automatic_premium_loan_too_the_policy_does_not_lapse_while_checked(uow, platform, held):
    policy, _, _ = held
    policy.automatic_premium_loan = True  # no cash value to lend from: it would lapse
    uow.commit()
    run_cycle(platform, date(2026, 12, 20), options=SMALL_BATCHES, steps=["lapse"])
    uow.session.expire_all()
    assert policy.status == "grace"
