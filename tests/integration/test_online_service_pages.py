"""Opening online service and the account page over HTTP (web forms and the JSON API): the
paths and their refusals, Transact required for payouts on every channel (staff acting for a
customer exempt and audited), sessions of one customer invisible to another, reset ending
sessions, closing online service."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from iaas.payments.sandbox.bank_cards import BLOCKED_CARD, MISMATCHED_CARD, VERIFYING_CARD
from paas.audit.models import AuditEntry
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.messaging.models import OutboxMessage
from paas.policies.ledger import credit
from paas.security.models import Account, LoginSession
from tests.factories import PASSWORD, make_customer, make_policy, make_policyholder
from tests.outbox_support import _code_of
from tests.servicing_support import staff_signed_in
from tests.web_client import WebClient

NEW_PASSWORD = "river-lantern-58"
MOBILE = "+8613800138038"


@pytest.fixture
def owner(uow):
    """A policyholder with no online account, dividends to withdraw and no bank account on file."""
    customer = make_customer(uow, name="李梅", mobile=MOBILE, email="li.mei@example.com")
    policy = make_policy(uow, customer, product="WLPAR", term_years=None, premium="7000.00", issue_date=date(2020, 3, 1),
                         paid_to=date(2027, 3, 1))
    credit(uow, policy.id, "dividends", "credit", Decimal("1000.00"), policy.issue_date, reference="seed:li")
    uow.commit()
    return customer, policy


def _id(uow, customer) -> str:
    return uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT)


def _code(uow, recipient: str = MOBILE) -> str:
    uow.session.expire_all()
    message = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                  .order_by(OutboxMessage.id.desc())).first()
    return _code_of(uow, message)


def _handle(page: str) -> str:
    return re.search(r'name="handle" value="([^"]*)"', page).group(1)


def _web_enrol(uow, web, customer, policy, password=NEW_PASSWORD):
    page = web.post_form("/enrol", {"name": customer.name, "id_number": _id(uow, customer),
                                    "policy_number": policy.policy_number})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return web.post_form("/enrol/finish", {"handle": _handle(text), "code": _code(uow), "password": password},
                         token_from="/enrol"), text


def _audit(uow, action):
    uow.session.expire_all()
    return uow.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_web_enrolment_opens_a_view_account_and_shows_it(uow, web, owner):
    customer, policy = owner
    done, code_page = _web_enrol(uow, web, customer, policy)
    assert "38" in code_page and 'data-test="code-sent"' in code_page
    assert done.status_code == 303 and done.headers["Location"].endswith("/account")
    page = web.text("/account")
    assert 'data-tier="view"' in page
    id_number = _id(uow, customer)
    assert id_number not in page and id_number[-4:] in page  # masked
    assert "/services/contact_phone" in page and "/services/contact_address" in page
    assert policy.policy_number in web.text("/")  # the asset sheet shows the customer's policies at once


def test_web_enrolment_with_another_persons_id_says_the_same_and_sends_nothing(uow, web, owner):
    customer, policy = owner
    stranger = make_customer(uow, name="王强", mobile="+8613900139000")
    uow.commit()
    answer = web.post_form("/enrol", {"name": customer.name, "id_number": _id(uow, stranger),
                                      "policy_number": policy.policy_number})
    assert answer.status_code == 200 and 'data-test="code-sent"' in answer.get_data(as_text=True)
    assert uow.session.scalars(select(OutboxMessage)).all() == []
    refused = web.post_form("/enrol/finish", {"handle": _handle(answer.get_data(as_text=True)), "code": "123456",
                                              "password": NEW_PASSWORD}, token_from="/enrol")
    assert refused.status_code == 422
    assert uow.session.scalar(select(Account).where(Account.customer_id.in_([customer.id, stranger.id]))) is None


def test_a_weak_password_says_why_in_the_users_language(uow, web, owner):
    customer, policy = owner
    web.client.set_cookie("lang", "en")
    done, _page = _web_enrol(uow, web, customer, policy, password="password1234")
    assert done.status_code == 422
    assert "most common" in done.get_data(as_text=True)


def test_payouts_need_transact_on_the_web_until_a_card_is_verified(uow, web, owner):
    customer, policy = owner
    _web_enrol(uow, web, customer, policy)
    services = f"/policies/{policy.policy_number}/services"
    page = web.text(services)
    assert 'data-test="tier-locked"' in page and "/account#tier" in page
    form = f"{services}/dividend_withdrawal"
    assert 'data-test="reason"' in web.text(form)
    for card, status in ((MISMATCHED_CARD, 422), (BLOCKED_CARD, 422), ("6222000000000000000", 422)):
        assert web.post_form("/account/card", {"card_number": card}, token_from="/account").status_code == status
    assert 'data-tier="view"' in web.text("/account")
    assert web.post_form("/account/card", {"card_number": VERIFYING_CARD}, token_from="/account").status_code == 303
    assert 'data-tier="transact"' in web.text("/account")
    assert 'data-test="tier-locked"' not in web.text(services)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', web.text(form)).group(1)
    started = web.post_form(form, {"idempotency_key": key, "amount": "100", "bank_account": "1"}, token_from=form)
    assert started.status_code == 303 and "/requests/SR" in started.headers["Location"]
    told = [m.kind for m in uow.session.scalars(select(OutboxMessage))]
    assert "alert_bank_account_added" in told
    checks = _audit(uow, "card.checked")
    assert [('"verified":true' in c.detail) for c in checks] == [False, False, False, True]


def _api_post(web, path, body, token):
    return web.client.post(f"/api/v1{path}", json=body, headers={"X-CSRFToken": token})


def _api_enrol(uow, web, customer, policy):
    token = web.client.get("/api/v1/csrf-token").json["csrf_token"]
    sent = _api_post(web, "/enrolment", {"name": customer.name, "id_number": _id(uow, customer),
                                         "policy_number": policy.policy_number}, token)
    assert sent.status_code == 202 and sent.json["ending"] == "38"
    signed = _api_post(web, "/enrolment/finish", {"handle": sent.json["handle"], "code": _code(uow),
                                                  "password": NEW_PASSWORD}, token)
    assert signed.status_code == 200, signed.json
    return signed.json["csrf_token"]


def test_payouts_need_transact_through_the_api(uow, web, owner):
    customer, policy = owner
    token = _api_enrol(uow, web, customer, policy)
    assert web.client.get("/api/v1/account").json["tier"]["tier"] == "view"
    offers = web.client.get(f"/api/v1/policies/{policy.policy_number}/services").json["services"]
    assert next(o for o in offers if o["kind"] == "dividend_withdrawal")["available"] is False
    path = f"/api/v1/policies/{policy.policy_number}/services/dividend_withdrawal"
    previewed = web.client.post(f"{path}/preview", json={"amount": "100", "bank_account": "1"},
                                headers={"X-CSRFToken": token})
    assert previewed.status_code == 403
    refused = web.client.post(path, json={"amount": "100", "bank_account": "1"},
                              headers={"X-CSRFToken": token, "Idempotency-Key": "api-1"})
    assert refused.status_code == 403 and "银行卡" in refused.json["error"]["message"]
    wrong = _api_post(web, "/account/card", {"card_number": MISMATCHED_CARD}, token)
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "card_number"
    assert _api_post(web, "/account/card", {"card_number": VERIFYING_CARD}, token).status_code == 200
    assert web.client.get("/api/v1/account").json["tier"]["card_verified_by"] == "four_elements"
    started = web.client.post(path, json={"amount": "100", "bank_account": "1"},
                              headers={"X-CSRFToken": token, "Idempotency-Key": "api-2"})
    assert started.status_code == 201, started.json


def test_a_clerk_acting_for_a_view_customer_is_exempt_and_audited(uow, web, other_web, clock, owner):
    customer, policy = owner
    _web_enrol(uow, other_web, customer, policy)  # the customer: View, no card
    from paas.customers.registry import add_bank_account

    add_bank_account(uow, customer, bank_name="中国银行", account_number="6217000011112222333", verified=True)
    uow.commit()
    staff_signed_in(uow, web, clock)
    console_page = web.text(f"/console/customers/{customer.customer_number}")
    tier = re.search(r'data-test="console-tier">(.*?)</dd>', console_page, re.S).group(1)
    assert "仅查询" in tier and "未验证银行卡" in tier  # View, and why: no card verified
    form = f"/console/policies/{policy.policy_number}/services/dividend_withdrawal"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', web.text(form)).group(1)
    answer = web.post_form(form, {"idempotency_key": key, "amount": "250", "bank_account": "1"}, token_from=form)
    assert answer.status_code == 303
    exempt = _audit(uow, "tier.exempt_staff")
    assert len(exempt) == 1 and exempt[0].actor_type == "staff" and "dividend_withdrawal" in exempt[0].detail


def test_claims_reported_online_need_transact(uow, web, owner):
    customer, policy = owner
    token = _api_enrol(uow, web, customer, policy)
    claim = {"policy_number": policy.policy_number, "kind": "death", "incident_date": "2026-11-01",
             "facts": "An accident on the road home.", "bank_account": "1"}
    refused = _api_post(web, "/claims", claim, token)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert _api_post(web, "/account/card", {"card_number": VERIFYING_CARD}, token).status_code == 200
    reported = _api_post(web, "/claims", claim, token)  # to the card just verified
    assert reported.status_code == 201, reported.json


def test_sessions_of_one_customer_are_invisible_to_another(uow, app, owner):
    first, second = WebClient(app.test_client()), WebClient(app.test_client())
    _c1, _a1 = make_policyholder(uow, email="one@example.com")
    _c2, _a2 = make_policyholder(uow, email="two@example.com")
    uow.commit()
    first.login("one@example.com", PASSWORD)
    second.login("two@example.com", PASSWORD)
    mine = first.client.get("/api/v1/sessions").json["sessions"]
    assert len(mine) == 1 and mine[0]["current"] is True
    theirs = second.client.get("/api/v1/sessions").json["sessions"]
    assert {s["id"] for s in theirs}.isdisjoint({s["id"] for s in mine})
    token = second.client.get("/api/v1/me").json["csrf_token"]
    assert second.client.delete(f"/api/v1/sessions/{mine[0]['id']}", headers={"X-CSRFToken": token}).status_code == 404
    assert second.post_form(f"/account/sessions/{mine[0]['id']}/end", {}, token_from="/account").status_code == 404
    assert first.client.get("/api/v1/sessions").status_code == 200  # still signed in


def test_ending_another_session_and_all_others(uow, app):
    make_policyholder(uow, email="many@example.com", mobile="+8613511112222")
    uow.commit()
    phone, laptop, tablet = (WebClient(app.test_client()) for _ in range(3))
    for device in (phone, laptop, tablet):
        device.login("many@example.com", PASSWORD)
    listed = phone.client.get("/api/v1/sessions").json["sessions"]
    other = next(s for s in listed if not s["current"])
    phone.post_form(f"/account/sessions/{other['id']}/end", {}, token_from="/account")
    assert len(phone.client.get("/api/v1/sessions").json["sessions"]) == 2
    current = next(s for s in listed if s["current"])
    assert phone.post_form(f"/account/sessions/{current['id']}/end", {}, token_from="/account").status_code == 422
    phone.post_form("/account/sessions/end-others", {}, token_from="/account")
    assert len(phone.client.get("/api/v1/sessions").json["sessions"]) == 1
    assert laptop.get("/account").status_code == 302 and tablet.get("/account").status_code == 302


def test_forgot_password_by_sms_resets_and_ends_every_session(uow, app, owner):
    customer, policy = owner
    browser, elsewhere = WebClient(app.test_client()), WebClient(app.test_client())
    _web_enrol(uow, elsewhere, customer, policy)
    assert elsewhere.get("/account").status_code == 200
    page = browser.post_form("/password/forgot", {"identifier": "138 0013 8038"}).get_data(as_text=True)
    done = browser.post_form("/password/reset", {"handle": _handle(page), "code": _code(uow), "password": "quiet-harbour-71"},
                             token_from="/password/forgot")
    assert done.status_code == 303 and "reset=1" in done.headers["Location"]
    assert elsewhere.get("/account").status_code == 302  # signed out everywhere
    assert uow.session.scalar(select(LoginSession.id)) is None
    assert browser.login(MOBILE, NEW_PASSWORD).status_code == 401
    assert browser.login(MOBILE, "quiet-harbour-71").status_code == 302


def test_sms_code_sign_in_on_the_web_and_a_new_device_is_told(uow, app, owner):
    customer, policy = owner
    _web_enrol(uow, WebClient(app.test_client()), customer, policy)
    phone = WebClient(app.test_client())
    page = phone.post_form("/login/sms", {"mobile": "13800138038"}).get_data(as_text=True)
    code = _code(uow)
    wrong = phone.post_form("/login/sms/finish", {"handle": _handle(page), "code": f"{(int(code) + 1) % 10**6:06d}"},
                            token_from="/login/sms")
    assert wrong.status_code == 422
    signed = phone.post_form("/login/sms/finish", {"handle": _handle(page), "code": code}, token_from="/login/sms",
                             headers={"User-Agent": "Mozilla/5.0 (iPhone) Safari/605"})
    assert signed.status_code == 303
    assert phone.get("/account").status_code == 200
    kinds = [m.kind for m in uow.session.scalars(select(OutboxMessage))]
    assert "alert_new_device" in kinds


def test_change_password_needs_the_current_one_and_tells_the_old_contacts(uow, web, owner):
    customer, policy = owner
    _web_enrol(uow, web, customer, policy)
    wrong = web.post_form("/account/password", {"current_password": "not-it-at-all-9", "password": "quiet-harbour-71"},
                          token_from="/account")
    assert wrong.status_code == 401
    done = web.post_form("/account/password", {"current_password": NEW_PASSWORD, "password": "quiet-harbour-71"},
                         token_from="/account")
    assert done.status_code == 303
    told = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert_password_changed")).all()
    assert {m.recipient for m in told} == {MOBILE, "li.mei@example.com"}


def test_closing_online_service_keeps_the_policies_and_allows_enrolling_again(uow, app, owner):
    customer, policy = owner
    web = WebClient(app.test_client())
    _web_enrol(uow, web, customer, policy)
    assert web.post_form("/account/close", {"current_password": NEW_PASSWORD}, token_from="/account").status_code == 422
    closed = web.post_form("/account/close", {"current_password": NEW_PASSWORD, "confirm": "yes"}, token_from="/account")
    assert closed.status_code == 200 and 'data-test="closed"' in closed.get_data(as_text=True)
    assert web.get("/account").status_code == 302
    assert web.login(MOBILE, NEW_PASSWORD).status_code == 401
    uow.session.expire_all()
    assert uow.session.get(type(policy), policy.id).owner_id == customer.id
    again = WebClient(app.test_client())
    done, _page = _web_enrol(uow, again, customer, policy, password="quiet-harbour-71")
    assert done.status_code == 303


def test_visitor_registers_and_lands_on_the_products(uow, web):
    page = web.post_form("/register", {"mobile": "13611112222"}).get_data(as_text=True)
    done = web.post_form("/register/finish", {"handle": _handle(page), "code": _code(uow, "+8613611112222"),
                                              "password": NEW_PASSWORD}, token_from="/register")
    assert done.status_code == 303 and done.headers["Location"].endswith("/products")
    assert web.get("/").status_code == 302  # no policies of their own: the asset sheet sends them on
    assert web.get("/account").status_code == 200


def _link(uow, kind: str) -> str:
    """The path and query of the newest link of ``kind`` as its mailbox got it."""
    import json

    from paas.messaging.outbox import SECRETS_CONTEXT

    uow.session.expire_all()
    message = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                  .order_by(OutboxMessage.id.desc())).first()
    if message.sealed_secrets:
        token = json.loads(uow.keyring.decrypt(message.sealed_secrets, context=SECRETS_CONTEXT))["token"]
        body = message.body.replace("%(token)s", token)
    else:
        body = [e.body for e in uow.platform.gateways["email"].sent if e.reference == f"msg-{message.id}"][-1]
    return re.search(r"https?://[^/\s]+(/\S+?) ", body).group(1)


def test_an_email_confirmed_by_its_link_then_recovers_the_password(uow, app, owner):
    customer, policy = owner
    web = WebClient(app.test_client())
    page = web.post_form("/enrol", {"name": customer.name, "id_number": _id(uow, customer),
                                    "policy_number": policy.policy_number}).get_data(as_text=True)
    web.post_form("/enrol/finish", {"handle": _handle(page), "code": _code(uow), "password": NEW_PASSWORD,
                                    "email": "Li.New@Example.com"}, token_from="/enrol")
    anonymous = WebClient(app.test_client())
    asked = anonymous.post_form("/password/forgot", {"identifier": "li.new@example.com"})
    assert 'data-test="link-sent"' in asked.get_data(as_text=True)
    assert not [m for m in uow.session.scalars(select(OutboxMessage)) if m.kind == "account_reset_link_link"]
    link = _link(uow, "account_confirm_email_link")
    assert anonymous.get(link.replace("token=", "token=x")).status_code == 422  # a tampered link
    confirmed = anonymous.get(link)
    assert confirmed.status_code == 200 and 'data-test="email-confirmed"' in confirmed.get_data(as_text=True)
    assert anonymous.get(link).status_code == 422  # once
    anonymous.post_form("/password/forgot", {"identifier": "li.new@example.com"})
    reset = _link(uow, "account_reset_link_link")
    done = anonymous.post_form(reset, {"password": "quiet-harbour-71"}, token_from=reset)
    assert done.status_code == 303
    assert web.get("/account").status_code == 302  # every session ended
    assert anonymous.login("li.new@example.com", "quiet-harbour-71").status_code == 302


def test_confirmation_links_are_limited_per_account(uow, web, owner):
    customer, policy = owner
    _web_enrol(uow, web, customer, policy)
    answers = [web.post_form("/account/email", {"email": f"box{n}@example.com"}, token_from="/account").status_code
               for n in range(21)]
    assert answers[:20] == [303] * 20 and answers[20] == 429
    huge = web.post_form(f"/account/sessions/{2**40}/end", {}, token_from="/account")
    assert huge.status_code == 404


def test_the_claim_form_says_payouts_are_locked_and_refuses_without_transact(uow, web, owner):
    customer, policy = owner
    _web_enrol(uow, web, customer, policy)
    form = f"/claims/new?policy={policy.policy_number}"
    page = web.text(form)
    assert 'data-test="tier-locked"' in page and "/account#tier" in page
    refused = web.post_form("/claims/new", {"policy_number": policy.policy_number, "kind": "death",
                                            "incident_date": "2026-11-01", "facts": "An accident on the road home.",
                                            "bank_account": "1"}, token_from=form)
    assert refused.status_code == 403 and 'data-test="form-error"' in refused.get_data(as_text=True)
