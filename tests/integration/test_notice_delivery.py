"""Delivering notices: by the customer's choice per type and channel, the legally required
ones by every electronic channel whatever was chosen; sent only once committed; a failing
channel retried with backoff, never twice for one notice and channel, given up into the
console's list and started again from there."""
from __future__ import annotations

from datetime import timedelta

import pytest

from paas.errors import InvalidInput, NotFound
from paas.notices import delivery
from paas.notices.delivery import BACKOFF, MAX_ATTEMPTS, deliver, deliver_due
from paas.notices.models import NoticeDelivery
from paas.notices.preferences import channels_for, preference_sheet, set_preferences
from paas.notices.types import notice_type
from paas.security.principal import Principal
from tests.factories import make_staff, principal_of
from tests.notice_events_support import deliveries, holder_with_policy, lapse_data, raise_notice


def test_by_default_every_electronic_channel_on_file_and_no_paper(uow):
    _, _, policy = holder_with_policy(uow)
    assert set(deliveries(uow, raise_notice(uow, policy))) == {"email", "sms"}


def test_a_choice_per_type_and_channel_is_honoured(uow):
    customer, account, policy = holder_with_policy(uow)
    who = principal_of(account)
    set_preferences(uow, who, customer, {("premium_due", "sms"), ("dividend", "email"), ("dividend", "paper")})
    assert set(deliveries(uow, raise_notice(uow, policy))) == {"sms"}
    dividend = raise_notice(uow, policy, "dividend_declared", {"amount": "88.00", "option": "cash", "policy_year": "3"})
    assert set(deliveries(uow, dividend)) == {"email", "paper"}


def test_lapse_and_claim_decision_go_by_every_channel_whatever_was_chosen(uow):
    customer, account, policy = holder_with_policy(uow)
    set_preferences(uow, principal_of(account), customer, set())  # nothing wanted at all
    assert deliveries(uow, raise_notice(uow, policy)) == {}  # the inbox only
    assert set(deliveries(uow, raise_notice(uow, policy, "lapsed", lapse_data()))) == {"email", "sms"}
    decision = raise_notice(uow, policy, "claim_decision", {"status": "declined", "reason": "not covered by the policy"},
                            reference="C0000001")
    assert set(deliveries(uow, decision)) == {"email", "sms"}


def test_the_preference_page_locks_what_the_law_decides_and_paper_for_account_notices(uow):
    customer, account, _ = holder_with_policy(uow)
    sheet = {row.notice_type.code: {c.channel: c for c in row.cells} for row in preference_sheet(uow, customer)}
    assert sheet["lapse"]["email"].locked and sheet["lapse"]["sms"].locked and not sheet["lapse"]["paper"].locked
    assert sheet["password_reset"]["paper"].locked and not sheet["password_reset"]["paper"].wanted
    assert not sheet["premium_due"]["sms"].locked and sheet["premium_due"]["sms"].wanted
    with pytest.raises(InvalidInput):
        set_preferences(uow, principal_of(account), customer, {("no_such_type", "email")})


def test_a_channel_without_its_contact_cannot_be_chosen_and_paper_is_the_fallback_of_a_letter_the_law_wants(uow):
    customer, account, policy = holder_with_policy(uow, email="")
    customer.email, customer.mobile = None, None
    with pytest.raises(InvalidInput):
        set_preferences(uow, principal_of(account), customer, {("premium_due", "email")})
    assert channels_for(customer, notice_type("lapse"), {}) == ("paper",)
    assert channels_for(customer, notice_type("premium_due"), {}) == ()


def test_nothing_is_sent_before_the_commit_and_everything_once_after(platform, gateway):
    with platform.unit_of_work() as uow:
        _, _, policy = holder_with_policy(uow)
        notice = raise_notice(uow, policy)
        assert gateway.sent == []
        uow.commit()
    assert sorted(e.channel for e in gateway.sent) == ["email", "sms"]
    email = next(e for e in gateway.sent if e.channel == "email")
    assert email.attachments and email.attachments[0].content.startswith(b"%PDF")
    assert email.reference == f"notice-{notice.id}-email" and f"/notices/{notice.id}" in email.body
    with platform.unit_of_work() as uow:
        assert deliver_due(uow, uow.clock.now() + timedelta(days=1)).sent == 0
        assert deliver(uow, notice.id, "sms", uow.clock.now()) == "sent"
        uow.commit()
    assert len(gateway.sent) == 2


def test_a_failing_channel_is_retried_with_backoff_then_given_up_and_retried_from_the_console(platform, gateway, clock):
    gateway.failing = True
    with platform.unit_of_work() as uow:
        _, _, policy = holder_with_policy(uow)
        notice = raise_notice(uow, policy)
        staff = make_staff(uow, "supervisor").account
        staff_who = Principal(staff.id, staff.display_name, staff.locale, role=staff.role, authority_level=1)
        uow.commit()  # the after-commit pass fails: first attempt
    waits = []
    for attempt in range(2, MAX_ATTEMPTS + 1):
        with platform.unit_of_work() as uow:
            row = deliveries(uow, notice)["email"]
            waits.append(row.next_attempt_at - clock.now())
            assert deliver_due(uow, clock.now()).sent == 0  # not due yet: nothing tried
            assert uow.session.get(NoticeDelivery, row.id).attempts == attempt - 1
            clock.advance(row.next_attempt_at - clock.now())
            deliver_due(uow, clock.now())
            uow.commit()
    assert waits == list(BACKOFF)
    with platform.unit_of_work() as uow:
        rows = deliveries(uow, notice)
        assert {r.status for r in rows.values()} == {"failed"} and "gateway down" in rows["email"].last_error
        gateway.failing = False
        assert deliver_due(uow, clock.now() + timedelta(days=30)).sent == 0  # given up stays given up
        delivery.retry(uow, staff_who, rows["email"].id)
        uow.commit()
    assert [e.channel for e in gateway.sent] == ["email"]  # sent after the retry's commit, once
    with platform.unit_of_work() as uow:
        assert deliveries(uow, notice)["email"].status == "sent"
        with pytest.raises(NotFound):
            delivery.retry(uow, staff_who, deliveries(uow, notice)["email"].id)  # sent: nothing to retry
        assert deliver(uow, notice.id, "email", clock.now()) == "sent"
    assert len(gateway.sent) == 1



def test_the_workers_sweep_sends_what_is_due_and_nothing_twice(platform, gateway, clock):
    from paas.jobs.registry import PERIODIC, handler_for
    from paas.notices.jobs import DELIVER_DUE_JOB

    gateway.failing = True
    with platform.unit_of_work() as uow:
        _, _, policy = holder_with_policy(uow)
        notice = raise_notice(uow, policy)
        uow.commit()  # the after-commit pass fails; the sweep is what sends it later
    gateway.failing = False
    sweep = handler_for(DELIVER_DUE_JOB)
    assert DELIVER_DUE_JOB in PERIODIC
    sweep(platform, {})
    assert gateway.sent == []  # its wait is not over
    clock.advance(BACKOFF[0])
    sweep(platform, {})
    sweep(platform, {})
    assert sorted(e.channel for e in gateway.sent) == ["email", "sms"]
    with platform.unit_of_work() as uow:
        assert {r.status for r in deliveries(uow, notice).values()} == {"sent"}


def test_an_sms_opted_out_by_stop_is_suppressed_unless_the_law_wants_it(uow, gateway):
    from paas.messaging import optout

    customer, _, policy = holder_with_policy(uow)
    optout.opt_out(uow, customer.mobile)  # what STOP / 退订 does
    due = raise_notice(uow, policy)
    lapse = raise_notice(uow, policy, "lapsed", lapse_data())
    run = deliver_due(uow, uow.clock.now())
    assert run.suppressed == 1 and deliveries(uow, due)["sms"].status == "suppressed"
    assert deliveries(uow, lapse)["sms"].status == "sent"
    assert sorted((e.channel, e.reference) for e in gateway.sent) == sorted(
        [("email", f"notice-{due.id}-email"), ("email", f"notice-{lapse.id}-email"), ("sms", f"notice-{lapse.id}-sms")])


def test_a_delivery_run_reads_its_notices_and_the_opt_out_list_once_however_many_it_sends(uow, gateway):
    from sqlalchemy import event

    _, _, policy = holder_with_policy(uow)
    for n in range(3):
        raise_notice(uow, policy, on=uow.clock.today() - timedelta(days=n))  # each by SMS and by email
    uow.session.flush()
    uow.session.expunge_all()  # as the worker's fresh session finds them: nothing held
    statements = []
    connection = uow.session.connection()
    listener = lambda *args: statements.append(args[2].split()[0])  # noqa: E731
    event.listen(connection, "before_cursor_execute", listener)
    try:
        run = deliver_due(uow, uow.clock.now())
        uow.session.flush()
    finally:
        event.remove(connection, "before_cursor_execute", listener)
    assert run.sent == 6 and len(gateway.sent) == 6
    # The deliveries, their notices, the opt-out list, then the deliveries' new states.
    assert statements.count("SELECT") == 3, statements
