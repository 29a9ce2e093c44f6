"""Opening online service (开通网络服务), registering, signing in by SMS code and recovering a
password, through the services on the real database: each path and each refusal."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from paas.audit.models import AuditEntry
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.errors import InvalidInput, NotPermitted, TooManyAttempts
from paas.messaging.models import OutboxMessage
from paas.security import code_login, codes, enrolment, recovery, registration
from paas.security.models import Account, LoginSession
from paas.security.sessions import resolve_session
from tests.factories import PASSWORD, make_customer, make_policy, make_policyholder

NEW_PASSWORD = "river-lantern-58"
ADDRESS = "203.0.113.7"


def _id(uow, customer) -> str:
    return uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT)


def _last_code(uow, recipient: str) -> str:
    """The code as the phone got it (the outbox keeps it sealed; delivery opens it)."""
    from tests.outbox_support import _code_of

    message = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                  .order_by(OutboxMessage.id.desc())).first()
    assert message is not None, f"nothing sent to {recipient}"
    return _code_of(uow, message)


def _sent_to(uow) -> list[str]:
    return [m.recipient for m in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


@pytest.fixture
def owner(uow):
    customer = make_customer(uow, name="李梅", mobile="+8613800138038", email="li.mei@example.com")
    policy = make_policy(uow, customer)
    uow.commit()
    return customer, policy


def _enrol(uow, customer, policy, password=NEW_PASSWORD, email=None):
    sent = enrolment.start(uow, customer.name, _id(uow, customer), policy.policy_number, address=ADDRESS, locale="zh")
    uow.commit()
    code = _last_code(uow, customer.mobile)
    signed = enrolment.finish(uow, sent.handle, code, password, email, address=ADDRESS, user_agent="Chrome/120 Android",
                              locale="zh")
    uow.commit()
    return sent, signed


def test_enrolment_sends_the_code_to_the_mobile_on_file_and_opens_a_view_account(uow, owner):
    customer, policy = owner
    sent, signed = _enrol(uow, customer, policy)
    assert sent.ending == "38"
    assert _sent_to(uow)[0] == "+8613800138038"
    account = uow.session.get(Account, signed.principal.account_id)
    assert account.customer_id == customer.id and account.identity_verified_by == "enrolment"
    assert account.card_verified_at is None  # View until a card is verified
    assert resolve_session(uow, signed.token).customer_id == customer.id
    actions = [e.action for e in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
    assert "enrolment.started" in actions and "enrolment.finished" in actions


def test_another_persons_id_with_a_real_policy_gets_the_same_answer_and_no_code(uow, owner):
    customer, policy = owner
    stranger = make_customer(uow, name="王强", mobile="+8613900139000")
    uow.commit()
    real = enrolment.start(uow, customer.name, _id(uow, customer), policy.policy_number, address=ADDRESS, locale="zh")
    before = len(_sent_to(uow))
    mixed = enrolment.start(uow, customer.name, _id(uow, stranger), policy.policy_number, address=ADDRESS, locale="zh")
    again = enrolment.start(uow, customer.name, _id(uow, stranger), policy.policy_number, address=ADDRESS, locale="zh")
    wrong_name = enrolment.start(uow, "李某", _id(uow, customer), policy.policy_number, address=ADDRESS, locale="zh")
    uow.commit()
    assert len(_sent_to(uow)) == before  # nothing sent for details that do not match
    assert type(mixed) is type(real) and len(mixed.handle) == len(real.handle)
    assert mixed.ending == again.ending  # a decoy that does not change on asking twice
    for attempt in (mixed, wrong_name):
        with pytest.raises(InvalidInput) as refused:
            enrolment.finish(uow, attempt.handle, "123456", NEW_PASSWORD, None, address=ADDRESS, user_agent=None,
                             locale="zh")
        assert refused.value.message == codes.WRONG  # the same words as a wrong code: nothing says which part failed


def test_a_code_never_goes_anywhere_but_the_number_on_file(uow, owner):
    customer, policy = owner
    _enrol(uow, customer, policy)
    code_login.start(uow, "+8613800138038", address=ADDRESS, locale="zh")
    recovery.start(uow, "+8613800138038", address=ADDRESS, locale="zh")
    code_login.start(uow, "+8613711112222", address=ADDRESS, locale="zh")  # nobody's: nothing sent
    recovery.start(uow, "+8613711112222", address=ADDRESS, locale="zh")
    uow.commit()
    assert set(_sent_to(uow)) == {"+8613800138038"}


def test_no_mobile_on_file_says_call_or_visit_and_creates_nothing(uow):
    customer = make_customer(uow, name="赵六", mobile="")
    customer.mobile = None
    policy = make_policy(uow, customer)
    uow.commit()
    with pytest.raises(NotPermitted) as refused:
        enrolment.start(uow, customer.name, _id(uow, customer), policy.policy_number, address=ADDRESS, locale="zh")
    assert "95500" in refused.value.message
    assert uow.session.scalar(select(Account).where(Account.customer_id == customer.id)) is None


def test_a_weak_password_is_refused_with_why_and_keeps_the_code(uow, owner):
    customer, policy = owner
    sent = enrolment.start(uow, customer.name, _id(uow, customer), policy.policy_number, address=ADDRESS, locale="zh")
    uow.commit()
    code = _last_code(uow, customer.mobile)
    with pytest.raises(InvalidInput) as weak:
        enrolment.finish(uow, sent.handle, code, "password123", None, address=ADDRESS, user_agent=None, locale="zh")
    assert weak.value.field == "password" and "common" in weak.value.message
    signed = enrolment.finish(uow, sent.handle, code, NEW_PASSWORD, None, address=ADDRESS, user_agent=None, locale="zh")
    assert signed.principal.customer_id == customer.id


def test_codes_are_single_use_expire_and_are_bound_to_their_purpose(uow, owner, clock):
    customer, policy = owner
    sent, _signed = _enrol(uow, customer, policy)
    asked = code_login.start(uow, customer.mobile, address=ADDRESS, locale="zh")
    uow.commit()
    code = _last_code(uow, customer.mobile)
    with pytest.raises(InvalidInput):  # a sign-in code is no reset code
        recovery.finish(uow, codes.RESET, asked.handle, code, "another-fine-phrase-3", address=ADDRESS)
    clock.advance(timedelta(minutes=6))
    with pytest.raises(InvalidInput):
        code_login.finish(uow, asked.handle, code, address=ADDRESS, user_agent=None)
    clock.advance(timedelta(minutes=-6))
    fresh = code_login.start(uow, customer.mobile, address=ADDRESS, locale="zh")
    uow.commit()
    code = _last_code(uow, customer.mobile)
    assert code_login.finish(uow, fresh.handle, code, address=ADDRESS, user_agent=None).principal.customer_id == customer.id
    with pytest.raises(InvalidInput):
        code_login.finish(uow, fresh.handle, code, address=ADDRESS, user_agent=None)  # used once


def test_guessing_a_code_ends_it_after_five_tries(uow, owner):
    customer, policy = owner
    sent = enrolment.start(uow, customer.name, _id(uow, customer), policy.policy_number, address=ADDRESS, locale="zh")
    uow.commit()
    code = _last_code(uow, customer.mobile)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(InvalidInput):
            enrolment.finish(uow, sent.handle, wrong, NEW_PASSWORD, None, address=ADDRESS, user_agent=None, locale="zh")
        uow.commit()
    with pytest.raises(InvalidInput):  # even the right code now: it has ended
        enrolment.finish(uow, sent.handle, code, NEW_PASSWORD, None, address=ADDRESS, user_agent=None, locale="zh")
    wrong_tries = [e for e in uow.session.scalars(select(AuditEntry)) if e.action == "code.wrong"]
    assert len(wrong_tries) == 5 and all('"purpose":"enrol"' in e.detail for e in wrong_tries)


def test_enrolment_matches_are_limited_per_id_number_and_per_address(uow, owner):
    customer, policy = owner
    for n in range(5):  # FAST_SECURITY or not, the default is five an hour per ID number
        enrolment.start(uow, customer.name, _id(uow, customer), f"P{n:010d}", address=f"198.51.100.{n}", locale="zh")
    with pytest.raises(TooManyAttempts):
        enrolment.start(uow, customer.name, _id(uow, customer), policy.policy_number, address="198.51.100.99",
                        locale="zh")
    others = [make_customer(uow) for _ in range(20)]
    for person in others[:19]:
        enrolment.start(uow, person.name, _id(uow, person), "P0000000001", address="192.0.2.1", locale="zh")
    with pytest.raises(TooManyAttempts):
        for person in others[19:]:
            enrolment.start(uow, person.name, _id(uow, person), "P0000000001", address="192.0.2.1", locale="zh")
            enrolment.start(uow, person.name, _id(uow, person), "P0000000002", address="192.0.2.1", locale="zh")


def test_code_sends_are_limited_per_mobile(uow, owner):
    customer, policy = owner
    _enrol(uow, customer, policy)
    sends = 0
    with pytest.raises(TooManyAttempts):
        for n in range(10):
            code_login.start(uow, customer.mobile, address=f"198.51.100.{n}", locale="zh")
            sends += 1
    assert sends == 4  # the enrolment's code was the first of five this hour


def test_reset_by_code_ends_every_session_and_tells_the_contacts(uow, owner):
    customer, policy = owner
    _sent, signed = _enrol(uow, customer, policy)
    sent = recovery.start(uow, customer.mobile, address=ADDRESS, locale="zh")
    uow.commit()
    recovery.finish(uow, codes.RESET, sent.handle, _last_code(uow, customer.mobile), "another-fine-phrase-3",
                    address=ADDRESS)
    uow.commit()
    assert resolve_session(uow, signed.token) is None
    assert uow.session.scalar(select(LoginSession.id).where(LoginSession.account_id == signed.principal.account_id)) is None
    kinds = [m.kind for m in uow.session.scalars(select(OutboxMessage))]
    assert "alert_password_reset" in kinds


def test_reset_link_goes_only_to_a_confirmed_email(uow, owner):
    customer, policy = owner
    _enrol(uow, customer, policy, email="new.li@example.com")
    assert recovery.start(uow, "new.li@example.com", address=ADDRESS, locale="zh") is None  # not confirmed yet
    uow.commit()
    assert not [m for m in uow.session.scalars(select(OutboxMessage)) if m.kind == "account_reset_link_link"]
    link = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "account_confirm_email_link")).one()
    assert link.recipient == "new.li@example.com"


def test_visitor_registers_by_mobile_and_code(uow):
    sent = registration.start(uow, "+8613611112222", address=ADDRESS, locale="en")
    uow.commit()
    signed = registration.finish(uow, sent.handle, _last_code(uow, "+8613611112222"), NEW_PASSWORD, address=ADDRESS,
                                 user_agent=None, locale="en")
    assert signed.principal.customer_id is None and not signed.principal.is_staff
    again = registration.start(uow, "+8613611112222", address=ADDRESS, locale="en")
    uow.commit()
    with pytest.raises(InvalidInput):
        registration.finish(uow, again.handle, "000000", NEW_PASSWORD, address=ADDRESS, user_agent=None, locale="en")


def test_an_existing_account_is_not_enrolled_twice(uow):
    customer, _account = make_policyholder(uow, mobile="+8613800138111")
    policy = make_policy(uow, customer)
    uow.commit()
    sent = enrolment.start(uow, customer.name, _id(uow, customer), policy.policy_number, address=ADDRESS, locale="zh")
    uow.commit()
    assert [m.kind for m in uow.session.scalars(select(OutboxMessage))] == ["enrolment_exists"]
    with pytest.raises(InvalidInput):
        enrolment.finish(uow, sent.handle, "123456", PASSWORD, None, address=ADDRESS, user_agent=None, locale="zh")


def test_the_demo_prints_a_policyholder_without_online_service_who_can_enrol(platform, uow):
    from paas.policies.models import Policy
    from portal.cli.seed import logins_block
    from portal.demo.seed import seed_demo

    logins = seed_demo(platform)
    block = logins_block(logins, "http://127.0.0.1:8101")
    person = logins.enrolment
    assert person.name in block and person.id_number in block and person.policy_number in block
    assert "http://127.0.0.1:8101/enrol" in block
    customer = uow.session.scalars(select(Policy).where(Policy.policy_number == person.policy_number)).one().owner
    assert uow.session.scalar(select(Account).where(Account.customer_id == customer.id)) is None
    sent = enrolment.start(uow, person.name, person.id_number, person.policy_number, address=ADDRESS, locale="zh")
    assert sent.ending == customer.mobile[-2:] and _sent_to(uow) == [customer.mobile]
    assert seed_demo(platform).enrolment == person  # seeding again changes nothing
