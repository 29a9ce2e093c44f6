"""Issue 13's account notices: the security alerts become signed notices in the customer's inbox.
A change of mobile makes one contact_changed notice delivered to the OLD mobile and e-mail (not
the new), a sign-in from a new device a new_device notice, a payout to a new account a
payout_held notice, a password reset a password_reset notice; each is genuine on /verify, once per channel, sent even to a number that
opted out of SMS, and another customer gets a 404 for it (web and API)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.messaging import optout, outbox
from paas.messaging.models import OutboxMessage
from paas.notices import document
from paas.notices.letters import signed
from paas.notices.models import Notice, NoticeDelivery
from paas.notices import preferences
from paas.notices.planning import plan_to
from paas.security import codes, devices, recovery
from paas.security.sessions import principal_of
from paas.servicing import engine
from tests.factories import PASSWORD, make_policyholder
from tests.integration.test_external_accounts_api import Api
from tests import outbox_support
from tests.outbox_support import sms_code
from tests.servicing_support import make_holder

OLD_MOBILE, OLD_EMAIL = "+8613855557777", "account-notices@example.com"
NEW_MOBILE = "+8613900002222"
NEW_ACCOUNT = {"method": "bank_debit", "new_bank_name": "招商银行", "new_account_number": "6225880123456789"}
_keys = iter(range(100_000))


@pytest.fixture
def victim(uow):
    return make_holder(uow, OLD_EMAIL, OLD_MOBILE)


def _done(uow, who, policy, kind, inputs, contact=False):
    request = engine.start(uow, who, policy.policy_number, kind, inputs, channel="web",
                           idempotency_key=f"an{next(_keys)}")
    outcome = engine.confirm(uow, who, request.reference, sms_code(uow, request.reference, kind="servicing_code"),
                             sms_code(uow, request.reference, kind="servicing_contact_code") if contact else None)
    assert outcome.confirmed, outcome.result
    return request


def _notices(uow, customer, notice_type: str) -> list[Notice]:
    uow.session.flush()
    return list(uow.session.scalars(select(Notice).where(Notice.customer_id == customer.id,
                                                         Notice.notice_type == notice_type)))


def _deliveries(uow, notice: Notice) -> list[tuple[str, str, str]]:
    rows = uow.session.scalars(select(NoticeDelivery).where(NoticeDelivery.notice_id == notice.id)
                               .order_by(NoticeDelivery.channel))
    return [(row.channel, row.recipient, row.status) for row in rows]


def _genuine_on_verify(web, notice: Notice) -> None:
    page = web.text(f"/verify?code={notice.code}")
    assert 'data-test="verdict-genuine"' in page


def _hidden_from_another_customer(uow, other_web, notice: Notice) -> None:
    make_policyholder(uow, email=f"nosy-{notice.id}@example.com")
    uow.commit()
    assert other_web.login(f"nosy-{notice.id}@example.com", PASSWORD).status_code == 302
    assert other_web.get(f"/notices/{notice.id}").status_code == 404
    api = Api(other_web)
    assert api.get(f"/notices/{notice.id}").status_code == 404
    assert notice.id not in [n["id"] for n in api.get("/notices").json["notices"]]


def test_a_mobile_change_makes_one_notice_told_to_the_old_mobile_and_e_mail(uow, victim, web, other_web, keyring):
    optout.opt_out(uow, OLD_MOBILE)  # an account-security notice goes all the same
    who = principal_of(victim.account)
    _done(uow, who, victim.whole_life, "contact_phone", {"mobile": NEW_MOBILE}, contact=True)
    assert victim.customer.mobile == NEW_MOBILE
    [notice] = _notices(uow, victim.customer, "contact_changed")
    assert signed(notice).data["fields"] == {"change": "mobile", "changed_on": uow.clock.today().isoformat()}
    assert notice.policy_id is None and notice.event_id is None
    assert _deliveries(uow, notice) == [("email", OLD_EMAIL, "sent"), ("sms", OLD_MOBILE, "sent")]
    told = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert_mobile_changed")
                               .order_by(OutboxMessage.id)).all()
    assert [(m.channel, m.recipient) for m in told] == [("sms", OLD_MOBILE), ("email", OLD_EMAIL)]
    assert all(f"/notices/{notice.id}" in m.body and "95500" in m.body and "/security/freeze" in m.body for m in told)
    assert not uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind.startswith("alert_"),
                                                               OutboxMessage.recipient == NEW_MOBILE)).all()
    assert plan_to(uow.session, notice.id, {"sms": OLD_MOBILE, "email": OLD_EMAIL}, uow.clock.now()) == []  # once
    assert all(m.status == "pending" for m in told)  # nothing leaves before the commit
    uow.commit()
    outbox.deliver_pending(uow.platform)
    uow.session.expire_all()
    assert [m.status for m in told] == ["sent", "sent"]  # the opted-out old mobile too
    assert web.login(OLD_EMAIL, PASSWORD).status_code == 302
    assert f'data-test="notice-{notice.id}"' in web.text("/notices")
    assert web.get(f"/notices/{notice.id}").status_code == 200
    mine = Api(web)
    assert (notice.id, "contact_changed") in [(n["id"], n["type"]) for n in mine.get("/notices").json["notices"]]
    detail = mine.get(f"/notices/{notice.id}").json
    assert detail["genuine"] and detail["verification_code"] == notice.code
    assert document.verify(detail["data"], detail["signature"], detail["key_id"], keys=keyring.public_keys())
    _genuine_on_verify(other_web, notice)
    _hidden_from_another_customer(uow, other_web, notice)


def test_a_sign_in_from_a_new_device_makes_a_new_device_notice(uow, victim, web, other_web, keyring):
    devices.note_sign_in(uow, victim.account, user_agent="Mozilla/5.0 (X11; Linux) Firefox/120", address="10.0.0.1")
    assert _notices(uow, victim.customer, "new_device") == []  # the account's first device is only remembered
    assert devices.note_sign_in(uow, victim.account, user_agent="Mozilla/5.0 (iPhone) Safari/605", address="10.0.0.9")
    [notice] = _notices(uow, victim.customer, "new_device")
    data = signed(notice).data
    assert data["fields"]["signed_in_on"] == uow.clock.today().isoformat() and data["fields"]["device"]
    assert document.verify(data, notice.signature, notice.key_id, keys=keyring.public_keys())
    assert _deliveries(uow, notice) == [("email", OLD_EMAIL, "sent"), ("sms", OLD_MOBILE, "sent")]
    assert not devices.note_sign_in(uow, victim.account, user_agent="Mozilla/5.0 (iPhone) Safari/605", address="x")
    assert len(_notices(uow, victim.customer, "new_device")) == 1  # a known device: no second notice
    uow.commit()
    _genuine_on_verify(other_web, notice)
    _hidden_from_another_customer(uow, other_web, notice)


def test_a_payout_to_a_new_account_makes_a_payout_held_notice(uow, victim, other_web):
    who = principal_of(victim.account)
    _done(uow, who, victim.whole_life, "payment_method", NEW_ACCOUNT)
    [bank] = _notices(uow, victim.customer, "bank_changed")
    assert signed(bank).data["fields"]["account"].endswith("6789")
    loan = _done(uow, who, victim.whole_life, "policy_loan", {"amount": "1000", "bank_account": "2"})
    assert loan.status == "held"
    [notice] = _notices(uow, victim.customer, "payout_held")
    fields = signed(notice).data["fields"]
    assert fields["reference"] == loan.reference and Decimal(fields["amount"]) == Decimal("1000")
    assert fields["release_on"] >= uow.clock.today().isoformat()
    assert _deliveries(uow, notice) == [("email", OLD_EMAIL, "sent"), ("sms", OLD_MOBILE, "sent")]
    uow.commit()
    _genuine_on_verify(other_web, notice)
    _hidden_from_another_customer(uow, other_web, notice)


def test_a_password_reset_makes_a_password_reset_notice(uow, victim, other_web):
    sent = recovery.start(uow, OLD_MOBILE, address="203.0.113.5", locale="zh")
    assert sent is not None
    uow.commit()
    [code] = [outbox_support._code_of(uow, m) for m in uow.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == OLD_MOBILE).order_by(OutboxMessage.id.desc()).limit(1))]
    recovery.finish(uow, codes.RESET, sent.handle, code, "another-fine-phrase-3", address="203.0.113.5")
    [notice] = _notices(uow, victim.customer, "password_reset")
    assert signed(notice).data["fields"] == {"reset_on": uow.clock.today().isoformat()}
    assert _deliveries(uow, notice) == [("email", OLD_EMAIL, "sent"), ("sms", OLD_MOBILE, "sent")]
    uow.commit()
    _genuine_on_verify(other_web, notice)
    _hidden_from_another_customer(uow, other_web, notice)


def test_account_notices_cannot_be_switched_off(uow, victim, web):
    assert web.login(OLD_EMAIL, PASSWORD).status_code == 302
    assert web.post_form("/account/notices", {"want": []}).status_code == 200  # everything unticked
    page = web.text("/account/notices")
    assert "为保障账户安全，必定发送" in page
    uow.session.expire_all()
    sheet = {row.notice_type.code: {cell.channel: cell for cell in row.cells}
             for row in preferences.preference_sheet(uow, victim.customer)}
    for code in ("contact_changed", "bank_changed", "new_device", "password_reset", "payout_held"):
        assert sheet[code]["sms"].locked and sheet[code]["sms"].wanted and sheet[code]["email"].wanted
    assert not sheet["premium_due"]["email"].wanted  # the untick did take where the customer decides
