"""A policyholder's own authenticator app: turned on with a first code and the password, it is
a second step at every sign-in (a recovery code works once instead), and it may confirm a
servicing request in place of the SMS code."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from paas.messaging.models import OutboxMessage
from paas.notices.qr import qr_svg
from paas.security import customer_totp
from paas.security.models import Account
from tests.factories import PASSWORD
from tests.servicing_support import make_holder

MOBILE = "+8613822224444"


@pytest.fixture
def holder(uow):
    return make_holder(uow, "totp-holder@example.com", MOBILE)


def _turn_on(web, clock) -> tuple[str, list[str]]:
    page = web.text("/account/authenticator")
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page).group(1)
    wrong = web.post_form("/account/authenticator", {"secret": secret, "code": "000000", "current_password": PASSWORD},
                          token_from="/account/authenticator")
    assert wrong.status_code == 422
    done = web.post_form("/account/authenticator", {"secret": secret, "code": pyotp.TOTP(secret).at(clock.now()),
                                                    "current_password": PASSWORD}, token_from="/account/authenticator")
    assert done.status_code == 200
    codes = re.findall(r"<code>(\d{10})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _handle(response) -> str:
    return re.search(r'name="handle" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_the_app_is_a_second_step_at_sign_in_and_a_recovery_code_works_once(uow, web, other_web, clock, holder):
    web.login(holder.email, PASSWORD)
    secret, recovery = _turn_on(web, clock)
    assert 'data-test="authenticator-status"' in web.text("/account")
    assert "alert_totp_on" in [m.kind for m in uow.session.scalars(select(OutboxMessage))]
    first = other_web.login(holder.email, PASSWORD)
    assert first.status_code == 200 and 'data-test="second-step-form"' in first.get_data(as_text=True)
    assert other_web.get("/account").status_code == 302  # not signed in by the password alone
    wrong = other_web.post_form("/login/authenticator", {"handle": _handle(first), "code": "123456"}, token_from="/login")
    assert wrong.status_code == 422
    clock.advance(timedelta(seconds=30))
    right = other_web.post_form("/login/authenticator", {"handle": _handle(first), "code": pyotp.TOTP(secret).at(clock.now())},
                                token_from="/login")
    assert right.status_code == 303 and other_web.get("/account").status_code == 200
    other_web.logout()
    again = other_web.login(holder.email, PASSWORD)
    by_recovery = other_web.post_form("/login/authenticator", {"handle": _handle(again), "code": recovery[0]},
                                      token_from="/login")
    assert by_recovery.status_code == 303
    other_web.logout()
    once_more = other_web.login(holder.email, PASSWORD)
    assert other_web.post_form("/login/authenticator", {"handle": _handle(once_more), "code": recovery[0]},
                               token_from="/login").status_code == 422  # used up
    uow.session.expire_all()
    account = uow.session.scalar(select(Account).where(Account.email == holder.email))
    assert len(account.recovery_codes.split()) == 9


def test_guessing_the_second_step_ends_it(uow, web, other_web, clock, holder):
    web.login(holder.email, PASSWORD)
    secret, _recovery = _turn_on(web, clock)
    first = other_web.login(holder.email, PASSWORD)
    for _ in range(5):
        other_web.post_form("/login/authenticator", {"handle": _handle(first), "code": "000001"}, token_from="/login")
    clock.advance(timedelta(seconds=30))
    late = other_web.post_form("/login/authenticator", {"handle": _handle(first), "code": pyotp.TOTP(secret).at(clock.now())},
                               token_from="/login")
    assert late.status_code in (422, 429)


def test_the_app_confirms_a_request_instead_of_the_sms(uow, web, clock, holder):
    from paas.security.sessions import principal_of
    from paas.servicing import engine

    web.login(holder.email, PASSWORD)
    secret, _recovery = _turn_on(web, clock)
    who = principal_of(holder.account)
    request = engine.start(uow, who, holder.whole_life.policy_number, "dividend_withdrawal",
                           {"amount": "100", "bank_account": "1"}, channel="web", idempotency_key="totp-1")
    uow.commit()
    assert request.status == "awaiting_code"
    clock.advance(timedelta(seconds=30))
    outcome = engine.confirm(uow, who, request.reference, pyotp.TOTP(secret).at(clock.now()))
    assert outcome.confirmed and request.status == "applied"


def test_turning_it_off_needs_the_password(uow, web, clock, holder):
    web.login(holder.email, PASSWORD)
    _turn_on(web, clock)
    assert web.post_form("/account/authenticator/off", {"current_password": "not-the-password-1"},
                         token_from="/account").status_code == 401
    assert web.post_form("/account/authenticator/off", {"current_password": PASSWORD},
                         token_from="/account").status_code == 303
    web.logout()
    assert web.login(holder.email, PASSWORD).status_code == 302  # one step again


def test_the_app_through_the_api(uow, web, other_web, clock, holder):
    web.login(holder.email, PASSWORD)
    token = web.client.get("/api/v1/me").json["csrf_token"]
    secret = web.client.get("/api/v1/account/authenticator").json["secret"]
    on = web.client.post("/api/v1/account/authenticator", headers={"X-CSRFToken": token}, json={
        "secret": secret, "code": pyotp.TOTP(secret).at(clock.now()), "current_password": PASSWORD})
    assert on.status_code == 200 and len(on.json["recovery_codes"]) == 10
    assert web.client.get("/api/v1/account").json["authenticator_on"] is True
    anonymous = other_web.client.get("/api/v1/csrf-token").json["csrf_token"]
    sent = other_web.client.post("/api/v1/login/sms", headers={"X-CSRFToken": anonymous}, json={"mobile": MOBILE})
    from tests.outbox_support import _code_of

    uow.session.expire_all()
    message = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == MOBILE)
                                  .order_by(OutboxMessage.id.desc())).first()
    step = other_web.client.post("/api/v1/login/sms/finish", headers={"X-CSRFToken": anonymous},
                                 json={"handle": sent.json["handle"], "code": _code_of(uow, message)})
    assert step.status_code == 202 and other_web.client.get("/api/v1/account").status_code == 401
    signed = other_web.client.post("/api/v1/login/authenticator", headers={"X-CSRFToken": anonymous},
                                   json={"handle": step.json["handle"], "code": on.json["recovery_codes"][3]})
    assert signed.status_code == 200 and other_web.client.get("/api/v1/account").status_code == 200
    off = web.client.post("/api/v1/account/authenticator/off", headers={"X-CSRFToken": token},
                          json={"current_password": PASSWORD})
    assert off.status_code == 200


def test_the_setup_page_shows_the_key_as_a_qr_code_of_its_own_otpauth_address(uow, web, holder):
    web.login(holder.email, PASSWORD)
    page = web.text("/account/authenticator")
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page).group(1)
    svg = re.search(r'data-test="totp-qr">(<svg.*?</svg>)', page, re.S).group(1)
    uri = pyotp.TOTP(secret).provisioning_uri(name=holder.account.display_name, issuer_name=customer_totp.ISSUER)
    assert svg == qr_svg(uri)  # a picture of this key's address and no other (qr_svg is held to segno's encoding)
