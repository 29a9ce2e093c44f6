"""Issue 13's account notices: the security alerts become signed notices in the customer's inbox.
A change of mobile makes one contact_changed notice delivered to the OLD mobile and e-mail (not
the new), a sign-in from a new device a new_device notice, a payout to a new account a
payout_held notice, a password reset a password_reset notice; each is genuine on /verify, once per channel, sent even to a number that
opted out of SMS, and another customer gets a 404 for it (web and API).

The other nine alerts, each done for real (bank account removed, money paid out, payee changed,
freeze on and lifted, password changed, online service closed, authenticator on and off, sign-in
paused by wrong passwords over HTTP): one signed notice of its type, delivered to the contacts on
file, the opted-out mobile too; nothing at all when the change rolls back; shown in zh and en."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

import pyotp

from paas.customers import bank_accounts
from paas.customers.registry import masked_account_number
from paas.messaging import optout, outbox
from paas.messaging.models import OutboxMessage
from paas.notices import document
from paas.notices.letters import signed
from paas.notices.models import Notice, NoticeDelivery
from paas.notices import preferences
from paas.notices.planning import plan_to
from paas.security import account_settings, codes, customer_totp, devices, freeze, recovery, totp
from paas.security.sessions import principal_of
from paas.servicing import engine
from paas.servicing.registry import transaction
from tests.factories import PASSWORD, make_policyholder, make_staff
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
    for code in ("contact_changed", "bank_changed", "new_device", "password_reset", "payout_held", "bank_removed",
                 "money_moved", "payee_changed", "money_freeze", "authenticator", "password_changed",
                 "online_service_closed", "sign_in_paused"):
        assert sheet[code]["sms"].locked and sheet[code]["sms"].wanted and sheet[code]["email"].wanted
    assert not sheet["premium_due"]["email"].wanted  # the untick did take where the customer decides


# -- the nine alerts that were outbox-only ------------------------------------------------------
# Each does the change for real and returns (notice type, the fields it must sign, outbox kind).

def _bank_account_removed(uow, victim, web):
    who = principal_of(victim.account)
    _done(uow, who, victim.whole_life, "payment_method", NEW_ACCOUNT)  # account 2 collects the premiums now
    shown = bank_accounts.remove_own(uow, who, 1)
    assert shown.endswith("2333")
    return "bank_removed", {"account": shown, "removed_on": _today(uow)}, "alert_bank_account_removed"


def _money_moved(uow, victim, web):
    paid = _done(uow, principal_of(victim.account), victim.whole_life, "dividend_withdrawal",
                 {"amount": "100", "bank_account": "1"})
    assert paid.status == "applied"
    bank = victim.customer.bank_accounts[0]
    return "money_moved", {"what": transaction("dividend_withdrawal").label, "on_policy": victim.whole_life.policy_number,
                           "account": f"{bank.bank_name} {masked_account_number(uow.keyring, bank)}",
                           "moved_on": _today(uow)}, "alert_money_moved"


def _payee_changed(uow, victim, web):
    _done(uow, principal_of(victim.account), victim.whole_life, "payment_method", {"method": "online"})
    return "payee_changed", {"what": transaction("payment_method").label, "on_policy": victim.whole_life.policy_number,
                             "changed_on": _today(uow)}, "alert_payee_changed"


def _freeze_on(uow, victim, web):
    freeze.freeze(uow, principal_of(victim.account))
    return "money_freeze", {"state": "on", "changed_on": _today(uow)}, "alert_freeze_on"


def _freeze_lifted(uow, victim, web):
    freeze.freeze(uow, principal_of(victim.account))
    clerk = principal_of(make_staff(uow).account)
    freeze.lift_by_clerk(uow, clerk, victim.customer.customer_number, "Called back on the mobile on file; ID checked")
    return "money_freeze", {"state": "lifted", "changed_on": _today(uow)}, "alert_freeze_lifted"


def _password_changed(uow, victim, web):
    account_settings.change_password(uow, principal_of(victim.account), PASSWORD, "another-fine-phrase-3", None)
    return "password_changed", {"changed_on": _today(uow)}, "alert_password_changed"


def _online_service_closed(uow, victim, web):
    account_settings.close_online_service(uow, principal_of(victim.account), PASSWORD)
    assert victim.account.email is None and victim.account.mobile is None  # the customer's contacts stay
    return "online_service_closed", {"closed_on": _today(uow)}, "alert_online_service_closed"


def _turn_on_authenticator(uow, victim):
    secret = totp.new_secret()
    customer_totp.turn_on(uow, principal_of(victim.account), secret, pyotp.TOTP(secret).at(uow.clock.now()), PASSWORD)


def _authenticator_on(uow, victim, web):
    _turn_on_authenticator(uow, victim)
    return "authenticator", {"state": "on", "changed_on": _today(uow)}, "alert_totp_on"


def _authenticator_off(uow, victim, web):
    _turn_on_authenticator(uow, victim)
    customer_totp.turn_off(uow, principal_of(victim.account), PASSWORD)
    return "authenticator", {"state": "off", "changed_on": _today(uow)}, "alert_totp_off"


def _sign_in_paused(uow, victim, web):
    for _ in range(5):  # over HTTP: the failed sign-in's transaction is committed, and the notice with it
        assert web.login(OLD_EMAIL, "wrong-password-1").status_code == 401
    assert web.login(OLD_EMAIL, PASSWORD).status_code == 429
    uow.session.expire_all()
    return "sign_in_paused", {"paused_on": _today(uow)}, "alert_login_locked"


def _today(uow) -> str:
    return uow.clock.today().isoformat()


NINE = (_bank_account_removed, _money_moved, _payee_changed, _freeze_on, _freeze_lifted, _password_changed,
        _online_service_closed, _authenticator_on, _authenticator_off, _sign_in_paused)


def _the_notice(uow, customer, type_code: str, fields: dict) -> Notice:
    found = [n for n in _notices(uow, customer, type_code)
             if {k: v for k, v in signed(n).data["fields"].items() if k in fields} == fields]
    assert len(found) == 1, [signed(n).data["fields"] for n in _notices(uow, customer, type_code)]
    return found[0]


@pytest.mark.parametrize("action", NINE, ids=lambda action: action.__name__.strip("_"))
def test_each_alert_makes_one_signed_notice_told_to_the_contacts_on_file(uow, victim, web, other_web, keyring,
                                                                         action):
    optout.opt_out(uow, OLD_MOBILE)  # an account-security notice goes all the same
    uow.commit()
    type_code, fields, kind = action(uow, victim, web)
    notice = _the_notice(uow, victim.customer, type_code, fields)
    data = signed(notice).data
    assert data["policy_number"] is None and notice.policy_id is None and notice.event_id is None
    assert set(data["fields"]) == {f.name for f in document.notice_type(type_code).fields if f.required}
    assert document.verify(data, notice.signature, notice.key_id, keys=keyring.public_keys())
    assert _deliveries(uow, notice) == [("email", OLD_EMAIL, "sent"), ("sms", OLD_MOBILE, "sent")]
    told = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind,
                                                           OutboxMessage.body.contains(f"/notices/{notice.id}"))
                               .order_by(OutboxMessage.id)).all()
    assert [(m.channel, m.recipient) for m in told] == [("sms", OLD_MOBILE), ("email", OLD_EMAIL)]
    assert all("95500" in m.body and "/security/freeze" in m.body for m in told)
    uow.commit()
    outbox.deliver_pending(uow.platform)
    uow.session.expire_all()
    assert [m.status for m in told] == ["sent", "sent"]  # the opted-out old mobile too
    _genuine_on_verify(other_web, notice)
    _hidden_from_another_customer(uow, other_web, notice)


@pytest.mark.parametrize("action", NINE[:-1], ids=lambda action: action.__name__.strip("_"))
def test_a_change_rolled_back_leaves_no_notice_and_nothing_to_send(uow, victim, web, action):
    # (Not the sign-in pause: a failed sign-in is committed on purpose, its record must not vanish.)
    uow.commit()
    type_code, _fields, kind = action(uow, victim, web)
    assert _notices(uow, victim.customer, type_code)
    uow.rollback()
    uow.session.expire_all()
    assert not _notices(uow, victim.customer, type_code)
    assert not uow.session.scalars(select(NoticeDelivery).join(Notice).where(Notice.customer_id == victim.customer.id)
                                   .where(Notice.notice_type == type_code)).all()
    assert not uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def test_a_new_account_notice_reads_in_chinese_and_english_in_the_inbox(uow, victim, web, other_web):
    """A notice is written in the customer's language when it is made (the inbox shows it so):
    one made for a Chinese reader, then one after they switched the site to English."""
    type_code, fields, _kind = _money_moved(uow, victim, web)
    in_chinese = _the_notice(uow, victim.customer, type_code, fields)
    uow.commit()
    assert web.login(OLD_EMAIL, PASSWORD).status_code == 302
    assert f'data-test="notice-{in_chinese.id}"' in web.text("/notices?type=money_moved")
    zh = web.text(f"/notices/{in_chinese.id}")
    assert "资金已付出" in zh and "领取累积生息的红利" in zh and "Withdraw" not in zh
    assert victim.whole_life.policy_number in zh and "2333" in zh and "收款账户" in zh and "Paid into" not in zh
    web.post_form("/language/en", {"next": "/notices"}, token_from="/notices")  # the account's language too
    uow.session.expire_all()
    _money_moved(uow, victim, web)
    [in_english] = [n for n in _notices(uow, victim.customer, type_code) if n.id != in_chinese.id]
    assert in_english.locale == "en"
    uow.commit()
    en = web.text(f"/notices/{in_english.id}")
    assert "Money paid out" in en and "Paid into" in en and "Withdraw accumulated dividends" in en
    assert "资金已付出" not in en and "收款账户" not in en
    assert "Money paid out" in web.text("/notices")
    for notice in (in_chinese, in_english):  # /verify names the type in the visitor's language (Chinese here)
        verify = other_web.text(f"/verify?code={notice.code}")
        assert 'data-test="verdict-genuine"' in verify and "资金已付出" in verify
