"""Sign-in throttling, audit of sign-ins, and the out-of-band notice."""
from __future__ import annotations

import re

from sqlalchemy import select

from paas.audit.models import AuditEntry
from paas.messaging.models import OutboxMessage
from tests.factories import PASSWORD, make_policyholder


def _actions(uow):
    return [e.action for e in uow.session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def test_failed_and_successful_logins_are_audited(uow, web):
    make_policyholder(uow, email="audited@example.com")
    uow.commit()
    web.login("audited@example.com", "wrong-password-1")
    web.login("audited@example.com", PASSWORD)
    web.logout()
    actions = _actions(uow)
    assert actions[-3:] == ["login.failed", "login.succeeded", "login.signed_out"]


def test_account_is_throttled_after_five_failures_with_a_clear_message(uow, web, gateway):
    make_policyholder(uow, email="target@example.com", mobile="+8613512345678")
    uow.commit()
    for _ in range(5):
        assert web.login("target@example.com", "wrong-password-1").status_code == 401
    blocked = web.login("target@example.com", PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "15" in blocked.get_data(as_text=True)  # says how many minutes to wait
    # The owner is told once, by SMS and e-mail (a sign_in_paused notice), after the commit.
    told = uow.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "alert_login_locked")
                               .order_by(OutboxMessage.channel)).scalars().all()
    assert [(m.channel, m.recipient, m.status) for m in told] == [("email", "target@example.com", "sent"),
                                                                  ("sms", "+8613512345678", "sent")]
    assert sorted(e.recipient for e in gateway.sent) == ["+8613512345678", "target@example.com"]


def test_throttle_is_per_account_so_others_can_still_sign_in(uow, web):
    make_policyholder(uow, email="victim@example.com")
    make_policyholder(uow, email="bystander@example.com")
    uow.commit()
    for _ in range(6):
        web.login("victim@example.com", "wrong-password-1")
    assert web.login("bystander@example.com", PASSWORD).status_code == 302


def test_address_is_throttled_across_accounts(uow, app, platform):
    from dataclasses import replace

    from tests.web_client import WebClient

    platform.security = replace(platform.security, login_limit_per_address="4 per 15 minutes")
    make_policyholder(uow, email="someone@example.com")
    uow.commit()
    web = WebClient(app.test_client())
    for n in range(4):
        web.login(f"guess{n}@example.com", "wrong-password-1")
    response = web.login("someone@example.com", PASSWORD)
    assert response.status_code == 429


def test_unknown_identifier_shapes_get_a_message(uow, web):
    for identifier in ("", "not-an-email-or-phone", "x" * 300):
        response = web.login(identifier, "whatever-1")
        assert response.status_code in (401, 422)
        assert 'data-test="login-error"' in response.get_data(as_text=True)


def test_a_sign_in_with_both_fields_wrong_says_both_beside_them_and_counts_no_attempt(uow, web):
    response = web.login("not-an-email-or-phone", "")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.count('aria-invalid="true"') == 2
    fields = set(re.findall(r'data-test="field-error" data-field="([a-z_]+)"', page))
    assert fields == {"identifier", "password"} and "请输入密码。" in page
    uow.session.expire_all()
    assert not uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.failed")).all()
