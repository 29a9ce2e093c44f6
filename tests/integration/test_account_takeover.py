"""Issue 10: with a policyholder's password alone nobody can take over the account. Each step of
the takeover chain (new mobile, new bank account by a payment-method change, a loan paid to it)
fails on its own; the contacts on file before each change are told of it; a payout to a new
account is held, shown and cancellable; unused bank accounts can be removed; a freeze stops
money movements until a clerk lifts it."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.audit.models import AuditEntry
from paas.customers import bank_accounts
from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.messaging.models import OutboxMessage
from paas.policies.ledger import balance
from paas.security import freeze
from paas.security.sessions import principal_of
from paas.servicing import engine, offers, payee_hold
from paas.servicing.kinds.policy_loan import open_loan
from paas.servicing.step_up import MAX_ATTEMPTS
from tests.factories import make_staff
from tests.integration.servicing_money_support import event
from tests.outbox_support import sms_code
from tests.servicing_support import address, make_holder, wrong

OLD_MOBILE, OLD_EMAIL = "+8613855556666", "takeover@example.com"
ATTACKER_MOBILE = "+8613900001111"
NEW_ACCOUNT = {"method": "bank_debit", "new_bank_name": "招商银行", "new_account_number": "6225880123456789"}
_keys = iter(range(100_000))


@pytest.fixture
def victim(uow):
    return make_holder(uow, OLD_EMAIL, OLD_MOBILE)


def _start(uow, who, policy, kind, inputs):
    return engine.start(uow, who, policy.policy_number, kind, inputs, channel="web", idempotency_key=f"t{next(_keys)}")


def _sent(uow, reference=None, kind=None):
    """(kind, channel, recipient) of what the outbox holds, for a request or of a kind prefix."""
    uow.session.flush()
    query = select(OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.recipient).order_by(OutboxMessage.id)
    if reference:
        query = query.where(OutboxMessage.body.contains(reference))
    if kind:
        query = query.where(OutboxMessage.kind.startswith(kind))
    return [tuple(row) for row in uow.session.execute(query)]


def _code(uow, reference, kind="servicing_code"):
    """The code as its recipient got it (the outbox keeps it sealed)."""
    return sms_code(uow, reference, kind=kind)


def _confirm(uow, who, request, contact=False):
    outcome = engine.confirm(uow, who, request.reference, _code(uow, request.reference),
                             _code(uow, request.reference, "servicing_contact_code") if contact else None)
    assert outcome.confirmed, outcome.result
    return request


def _add_new_account(uow, victim):
    who = principal_of(victim.account)
    _confirm(uow, who, _start(uow, who, victim.whole_life, "payment_method", NEW_ACCOUNT))
    assert len(victim.customer.bank_accounts) == 2
    return who


# -- 1. the chain's first step: the mobile ------------------------------------------------------

def test_a_new_mobile_cannot_be_set_with_the_password_alone(uow, victim):
    attacker = principal_of(victim.account)  # signed in with the stolen password
    request = _start(uow, attacker, victim.whole_life, "contact_phone", {"mobile": ATTACKER_MOBILE})
    assert _sent(uow, request.reference) == [("servicing_code", "sms", OLD_MOBILE),
                                             ("servicing_contact_code", "sms", ATTACKER_MOBILE)]
    theirs = _code(uow, request.reference, "servicing_contact_code")  # all the attacker receives
    results = [engine.confirm(uow, attacker, request.reference, theirs, theirs).result for _ in range(MAX_ATTEMPTS)]
    assert results == ["wrong_code"] * (MAX_ATTEMPTS - 1) + ["locked"]
    assert request.code_attempts == MAX_ATTEMPTS and request.status == "expired"
    # even the right pair is too late now: the request has ended
    late = engine.confirm(uow, attacker, request.reference, _code(uow, request.reference), theirs)
    assert not late.confirmed and request.status == "expired"
    assert victim.customer.mobile == OLD_MOBILE and victim.account.mobile == OLD_MOBILE


def test_a_mobile_change_is_told_to_the_old_mobile_and_e_mail(uow, victim):
    who = principal_of(victim.account)
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "contact_phone", {"mobile": ATTACKER_MOBILE}),
                       contact=True)
    assert request.status == "applied" and victim.customer.mobile == ATTACKER_MOBILE
    assert _sent(uow, kind="alert_") == [("alert_mobile_changed", "sms", OLD_MOBILE),
                                         ("alert_mobile_changed", "email", OLD_EMAIL)]
    body = uow.session.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == "alert_mobile_changed")).first()
    assert "95500" in body and "/security/freeze" in body and "+86 139****1111" in body  # Chinese, masked


def test_an_e_mail_change_needs_a_code_sent_to_the_new_address_and_tells_the_old_one(uow, victim):
    who = principal_of(victim.account)
    request = _start(uow, who, victim.whole_life, "contact_email", {"email": "thief@example.net"})
    assert _sent(uow, request.reference) == [("servicing_code", "sms", OLD_MOBILE),
                                             ("servicing_contact_code", "email", "thief@example.net")]
    refused = engine.confirm(uow, who, request.reference, _code(uow, request.reference), "000000")
    assert refused.result == "wrong_contact_code" and refused.field == "contact_code"
    assert victim.customer.email == OLD_EMAIL and request.code_attempts == 1 and request.status == "awaiting_code"
    _confirm(uow, who, request, contact=True)
    assert victim.customer.email == "thief@example.net"
    assert _sent(uow, kind="alert_") == [("alert_email_changed", "sms", OLD_MOBILE),
                                         ("alert_email_changed", "email", OLD_EMAIL)]


# -- 2. a bank account slipped in by a payment-method change -------------------------------------

def test_a_payment_method_change_adding_an_account_is_confirmed_on_the_mobile_on_file_and_told(uow, victim):
    who = principal_of(victim.account)
    request = _start(uow, who, victim.whole_life, "payment_method", NEW_ACCOUNT)
    assert _sent(uow, request.reference) == [("servicing_code", "sms", OLD_MOBILE)]
    refused = engine.confirm(uow, who, request.reference, wrong(_code(uow, request.reference)))
    assert refused.result == "wrong_code" and request.code_attempts == 1
    assert len(victim.customer.bank_accounts) == 1
    _confirm(uow, who, request)
    added = victim.customer.bank_accounts[1]
    assert added.verified_at is None and added.created_at == uow.clock.now()
    assert _sent(uow, kind="alert_") == [("alert_bank_account_added", "sms", OLD_MOBILE),
                                         ("alert_bank_account_added", "email", OLD_EMAIL)]


# -- 3. the loan to it: held ----------------------------------------------------------------------

def test_a_loan_to_an_account_added_lately_is_held_and_cancelling_it_leaves_the_money(uow, victim, clock):
    who = _add_new_account(uow, victim)
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "policy_loan", {"amount": "1000", "bank_account": "2"}))
    assert request.status == "held" and request.hold_until == clock.now() + timedelta(hours=72)
    assert event(uow, victim.whole_life, f"payout:{request.reference}") is None  # nothing paid
    assert [line.reference for line in payee_hold.held_requests(uow, customer_id=victim.customer.id)] == [request.reference]
    assert ("alert_payout_held", "sms", OLD_MOBILE) in _sent(uow, kind="alert_payout_held")
    with pytest.raises(InvalidInput):  # the held money cannot be taken twice meanwhile
        _start(uow, who, victim.whole_life, "policy_loan", {"amount": "1000", "bank_account": "1"})
    engine.cancel(uow, who, request.reference)
    with pytest.raises(InvalidInput):  # once
        engine.cancel(uow, who, request.reference)
    assert request.status == "cancelled"
    uow.commit()
    clock.advance(timedelta(hours=73))
    assert payee_hold.release_due(uow.platform)["released"] == 0
    uow.session.expire_all()
    assert event(uow, victim.whole_life, f"payout:{request.reference}") is None
    assert open_loan(uow, victim.whole_life.id) is None  # the money stayed where it came from


def test_a_held_payout_goes_when_its_time_comes(uow, victim, clock):
    who = _add_new_account(uow, victim)
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                        {"amount": "400", "bank_account": "2"}))
    assert request.status == "held"
    uow.commit()
    clock.advance(timedelta(hours=71))
    assert payee_hold.release_due(uow.platform) == {"released": 0, "declined": 0, "still_held": 0}
    clock.advance(timedelta(hours=1))
    assert payee_hold.release_due(uow.platform)["released"] == 1
    uow.session.expire_all()
    assert request.status == "applied"
    assert event(uow, victim.whole_life, f"payout:{request.reference}")["account"].endswith("6789")
    assert ("alert_money_moved", "email", OLD_EMAIL) in _sent(uow, kind="alert_money_moved")


def test_a_verified_or_old_account_is_paid_at_once(uow, victim, clock):
    who = principal_of(victim.account)
    paid = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                     {"amount": "100", "bank_account": "1"}))
    assert paid.status == "applied" and event(uow, victim.whole_life, f"payout:{paid.reference}")
    _add_new_account(uow, victim)
    clock.advance(timedelta(hours=72))  # no longer new
    later = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                      {"amount": "100", "bank_account": "2"}))
    assert later.status == "applied"


def test_a_clerk_sees_held_payouts_and_cancels_one_with_a_note(uow, victim):
    who = _add_new_account(uow, victim)
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                        {"amount": "400", "bank_account": "2"}))
    clerk = principal_of(make_staff(uow).account)
    assert request.reference in [line.reference for line in payee_hold.held_requests(uow)]
    with pytest.raises(InvalidInput):
        payee_hold.cancel_by_clerk(uow, clerk, request.reference, "")
    payee_hold.cancel_by_clerk(uow, clerk, request.reference, "Customer called: not them")
    assert request.status == "cancelled" and request.decided_by == clerk.account_id
    with pytest.raises(NotFound):
        payee_hold.cancel_by_clerk(uow, clerk, request.reference, "again, twice")
    uow.commit()
    assert uow.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "servicing.hold_cancelled"))


# -- 4. removing a bank account -----------------------------------------------------------------

def test_an_unused_bank_account_is_removed_and_one_in_use_is_refused_saying_by_which_policy(uow, victim):
    who = _add_new_account(uow, victim)  # account 2 now collects the whole-life premiums
    with pytest.raises(InvalidInput) as refused:
        bank_accounts.remove_own(uow, who, 2)
    assert refused.value.params == {"number": victim.whole_life.policy_number}
    assert bank_accounts.remove_own(uow, who, 1).endswith("2333")
    assert [a.bank_name for a in victim.customer.bank_accounts] == ["招商银行"]
    assert ("alert_bank_account_removed", "sms", OLD_MOBILE) in _sent(uow, kind="alert_bank_account_removed")
    uow.commit()
    assert uow.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "customer.bank_account_removed"))


def test_another_customers_account_is_not_found_and_an_open_request_blocks_removal(uow, victim):
    other = make_holder(uow, "other-takeover@example.com", "+8613877778888")
    _add_new_account(uow, other)
    with pytest.raises(NotFound):  # the victim has one account: the other's second is not theirs
        bank_accounts.remove_own(uow, principal_of(victim.account), 2)
    assert len(other.customer.bank_accounts) == 2
    who = principal_of(other.account)
    open_request = _start(uow, who, other.term, "contact_address", address("朝阳路一号", province="北京市", city="北京市", district="朝阳区",
                                                                             postcode="100020"))
    pending = _start(uow, who, other.whole_life, "dividend_withdrawal", {"amount": "10", "bank_account": "1"})
    assert open_request.status == "applied" and pending.status == "awaiting_code"
    with pytest.raises(InvalidInput) as refused:
        bank_accounts.remove_own(uow, who, 1)
    assert refused.value.params == {"reference": pending.reference}
    clerk = principal_of(make_staff(uow).account)
    engine.cancel(uow, who, pending.reference)
    bank_accounts.remove_for_customer(uow, clerk, other.customer.customer_number, 1)
    assert len(other.customer.bank_accounts) == 1


# -- 5. the freeze --------------------------------------------------------------------------------

def test_a_freeze_stops_money_movements_until_a_clerk_lifts_it(uow, victim):
    who = principal_of(victim.account)
    freeze.freeze(uow, who)
    assert ("alert_freeze_on", "sms", OLD_MOBILE) in _sent(uow, kind="alert_freeze_on")
    shown = offers.policy_offers(uow, who, victim.whole_life.policy_number)
    for kind in ("dividend_withdrawal", "policy_loan", "surrender", "payment_method"):
        assert shown.offer(kind).reason == freeze.FROZEN, kind
        with pytest.raises(NotPermitted):
            _start(uow, who, victim.whole_life, kind, {"amount": "10", "bank_account": "1", "method": "online"})
    assert _start(uow, who, victim.term, "contact_address", address("世纪大道二号", district="浦东新区")).status == "applied"
    clerk = principal_of(make_staff(uow).account)
    with pytest.raises(InvalidInput):
        freeze.lift_by_clerk(uow, clerk, victim.customer.customer_number, "ok")
    with pytest.raises(NotPermitted):
        freeze.lift_by_clerk(uow, who, victim.customer.customer_number, "I am the customer, let me")
    freeze.lift_by_clerk(uow, clerk, victim.customer.customer_number, "Called back on the mobile on file; ID checked")
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                        {"amount": "10", "bank_account": "1"}))
    assert request.status == "applied"
    uow.commit()
    actions = set(uow.session.scalars(select(AuditEntry.action)))
    assert {"security.money_frozen", "security.money_unfrozen"} <= actions


def test_a_payout_held_when_the_customer_freezes_stays_held(uow, victim, clock):
    who = _add_new_account(uow, victim)
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                        {"amount": "400", "bank_account": "2"}))
    freeze.freeze(uow, who)
    uow.commit()
    clock.advance(timedelta(hours=80))
    assert payee_hold.release_due(uow.platform)["still_held"] == 1
    uow.session.expire_all()
    assert request.status == "held" and event(uow, victim.whole_life, f"payout:{request.reference}") is None
    assert balance(uow, victim.whole_life.id, "dividends") == Decimal("1000.00")  # nothing left the policy


# -- claims: told when paid; no new payee while frozen -------------------------------------------

def test_a_claim_payout_is_told_and_a_frozen_customer_cannot_name_a_new_payee(uow, victim):
    from datetime import date

    from paas.claims import adjusting, reporting

    who = principal_of(victim.account)
    freeze.freeze(uow, who)
    with pytest.raises(NotPermitted):
        reporting.report(uow, who, victim.term.policy_number, kind="death", incident_date=date(2026, 11, 1),
                         facts="The insured died in hospital.", claimant_name="", bank_account=None,
                         new_bank_account=("招商银行", "6225880123456789"))
    assert len(victim.customer.bank_accounts) == 1
    claim = reporting.report(uow, who, victim.term.policy_number, kind="death", incident_date=date(2026, 11, 1),
                             facts="The insured died in hospital.", claimant_name="", bank_account="1")
    for code in reporting.REQUIRED[claim.kind]:
        reporting.add_document(uow, who, claim.reference, document_type=code, filename=f"{code}.pdf", data=b"%PDF-1.4 x")
    adjusters = [principal_of(make_staff(uow, role="adjuster", level=level).account) for level in (3, 4)]
    for adjuster in adjusters:
        if claim.status != "paid":
            adjusting.approve(uow, adjuster, claim.reference, confirmed_amount="500000.00")  # seen with the payee
    assert claim.status == "paid"
    assert _sent(uow, kind="alert_money_moved") == [("alert_money_moved", "sms", OLD_MOBILE),
                                                    ("alert_money_moved", "email", OLD_EMAIL)]


def test_a_held_payout_that_no_longer_fits_is_declined_with_the_reason_in_the_customers_language(uow, victim, clock):
    from paas.policies.ledger import credit

    who = _add_new_account(uow, victim)
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                        {"amount": "400", "bank_account": "2"}))
    # Meanwhile the nightly cycle used most of the dividends to pay a premium (offset option).
    credit(uow, victim.whole_life.id, "dividends", "premium_offset", Decimal("-800.00"), clock.today(), reference="offset")
    uow.commit()
    clock.advance(timedelta(hours=72))
    assert payee_hold.release_due(uow.platform)["declined"] == 1
    uow.session.expire_all()
    assert request.status == "rejected" and "200.00" in request.decision_note and "最多" in request.decision_note
    assert balance(uow, victim.whole_life.id, "dividends") == Decimal("200.00")


def test_a_clerk_changing_the_mobile_for_a_customer_confirms_with_their_authenticator_and_the_new_numbers_code(
        uow, victim, clock):
    import pyotp

    staff = make_staff(uow)
    clerk = principal_of(staff.account)
    request = _start(uow, clerk, victim.whole_life, "contact_phone", {"mobile": ATTACKER_MOBILE})
    assert request.step_up == "totp"
    assert _sent(uow, request.reference) == [("servicing_contact_code", "sms", ATTACKER_MOBILE)]
    totp = pyotp.TOTP(staff.totp_secret).at(clock.now())
    alone = engine.confirm(uow, clerk, request.reference, totp)  # the authenticator alone does not prove the number
    assert alone.result == "wrong_contact_code" and request.code_attempts == 1
    assert victim.customer.mobile == OLD_MOBILE
    clock.advance(timedelta(seconds=30))
    assert engine.confirm(uow, clerk, request.reference, pyotp.TOTP(staff.totp_secret).at(clock.now()),
                          _code(uow, request.reference, "servicing_contact_code")).confirmed
    assert request.status == "applied" and victim.customer.mobile == ATTACKER_MOBILE
    assert ("alert_mobile_changed", "sms", OLD_MOBILE) in _sent(uow, kind="alert_")


def test_the_new_contacts_code_expires_like_the_other(uow, victim, clock):
    who = principal_of(victim.account)
    request = _start(uow, who, victim.whole_life, "contact_email", {"email": "late@example.com"})
    clock.advance(timedelta(minutes=11))
    late = engine.confirm(uow, who, request.reference, _code(uow, request.reference),
                          _code(uow, request.reference, "servicing_contact_code"))
    assert late.result == "code_expired" and request.status == "awaiting_code"
    assert victim.customer.email == OLD_EMAIL


def test_a_held_payout_is_never_ended_as_expired_and_release_held_pays_it(uow, victim, clock):
    """A held request waits far longer than the half hour a request may wait for its code:
    neither the engine's touch, the nightly cycle, a replayed confirmation nor the request
    pages end it; ``portal servicing release-held`` pays it when its time comes."""
    from click.testing import CliRunner

    from paas.servicing.expiry import expire_left_over
    from paas.servicing.history import customer_request
    from portal.cli.context import CliContext
    from portal.cli.servicing import servicing

    who = _add_new_account(uow, victim)
    request = _confirm(uow, who, _start(uow, who, victim.whole_life, "dividend_withdrawal",
                                        {"amount": "400", "bank_account": "2"}))
    assert request.status == "held"
    uow.commit()
    clock.advance(timedelta(hours=2))
    assert expire_left_over(uow.platform) == 0  # the nightly cycle leaves it
    with pytest.raises(InvalidInput):  # a conflict check meets it: still open, not ended
        _start(uow, who, victim.whole_life, "dividend_withdrawal", {"amount": "10", "bank_account": "1"})
    replay = engine.confirm(uow, who, request.reference, "000000")  # the confirm form sent again
    assert replay.confirmed and request.status == "held" and request.code_attempts == 0
    assert customer_request(uow, victim.customer.id, request.reference).status == "held"
    assert event(uow, victim.whole_life, f"payout:{request.reference}") is None
    uow.commit()
    clock.advance(timedelta(hours=70))
    cli = CliContext()
    cli.__dict__["platform"] = uow.platform  # the command as the scheduler runs it, on this database
    ran = CliRunner().invoke(servicing, ["release-held"], obj=cli, catch_exceptions=False)
    assert ran.exit_code == 0 and "Released 1, declined 0" in ran.output
    uow.session.expire_all()
    assert request.status == "applied" and balance(uow, victim.whole_life.id, "dividends") == Decimal("600.00")
    assert event(uow, victim.whole_life, f"payout:{request.reference}")["account"].endswith("6789")
