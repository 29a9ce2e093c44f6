"""Policy events: one registry of kinds, data checked against the kind, once per policy, kind,
reference and day; an event of a kind that makes a notice makes one signed notice, and the
stored notice verifies only while its data is what was signed."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from paas.notices import verification
from paas.notices.bulk import event_row
from paas.notices.events import raise_event
from paas.notices.letters import genuine, signed
from paas.notices.models import Notice, PolicyEvent
from tests.notice_events_support import holder_with_policy, lapse_data, raise_notice


def test_an_unknown_kind_or_data_the_kind_does_not_list_is_refused(uow):
    _, _, policy = holder_with_policy(uow)
    day = date(2026, 11, 27)
    with pytest.raises(ValueError, match="unknown policy event kind"):
        raise_event(uow, policy.id, "endorse:SR123", day, {})
    with pytest.raises(ValueError, match="missing"):
        raise_event(uow, policy.id, "premium_due", day, {"amount": "1.00"})
    with pytest.raises(ValueError, match="unknown"):
        raise_event(uow, policy.id, "cover_ended", day, {"expiry_date": "2026-12-01", "colour": "red"})
    with pytest.raises(ValueError, match="needs reference"):
        raise_event(uow, policy.id, "endorsement", day, {"kind": "x", "reference": "SR1", "outcome": {}})
    with pytest.raises(ValueError, match="missing"):
        event_row(policy.id, "lapsed", day, {"amount": "1.00"})  # the cycle's bulk way checks the same
    assert uow.session.scalar(select(PolicyEvent.id).where(PolicyEvent.policy_id == policy.id)) is None


def test_type_and_reference_are_separate_and_each_reference_counts_once(uow):
    _, _, policy = holder_with_policy(uow)
    day = date(2026, 11, 27)
    data = {"amount": "10.00", "purpose": "loan", "bank": "工商银行", "account": "**** 1234"}
    assert raise_event(uow, policy.id, "collection", day, data, reference="SR0001")
    assert not raise_event(uow, policy.id, "collection", day, data, reference="SR0001")
    assert raise_event(uow, policy.id, "collection", day, data, reference="SR0002")
    rows = uow.session.execute(select(PolicyEvent.type, PolicyEvent.reference).where(PolicyEvent.policy_id == policy.id)
                               .order_by(PolicyEvent.reference)).all()
    assert rows == [("collection", "SR0001"), ("collection", "SR0002")]


def test_an_event_that_makes_a_notice_makes_one_signed_notice(uow):
    customer, _, policy = holder_with_policy(uow)
    notice = raise_notice(uow, policy, "lapsed", lapse_data())
    assert notice.customer_id == customer.id and notice.notice_type == "lapse" and notice.locale == "zh"
    data = signed(notice).data
    assert data["policy_number"] == policy.policy_number and data["recipient_name"] == customer.name
    assert data["fields"] == {"lapsed_on": "2026-11-01", "unpaid_amount": "1200.00", "reinstate_by": "2028-11-01"}
    assert genuine(uow, notice)
    assert not raise_event(uow, policy.id, "lapsed", uow.clock.today(), lapse_data())  # a rerun: no second notice
    assert uow.session.scalar(select(Notice.id).where(Notice.policy_id == policy.id, Notice.id != notice.id)) is None


def test_a_kind_without_a_notice_makes_none(uow):
    _, _, policy = holder_with_policy(uow)
    assert raise_event(uow, policy.id, "cover_ended", date(2026, 11, 27), {"expiry_date": "2026-11-27"})
    assert uow.session.scalar(select(Notice.id).where(Notice.policy_id == policy.id)) is None


def test_verify_says_genuine_with_only_type_date_and_masked_recipient(uow):
    customer, _, policy = holder_with_policy(uow, name="张三丰")
    notice = raise_notice(uow, policy)
    verdict = verification.verify_code(uow, notice.code.lower().replace("-", " "))
    assert verdict.genuine and verdict.notice_type == "premium_due" and verdict.issued_on == uow.clock.today()
    assert verdict.recipient == "张*丰" and customer.name not in repr(verdict)
    assert verification.verify_code(uow, "AAAA-BBBB-CCCC").outcome == verification.UNKNOWN
    assert verification.verify_code(uow, "").outcome == verification.UNKNOWN


def test_data_edited_after_signing_is_not_genuine(uow):
    _, _, policy = holder_with_policy(uow)
    notice = raise_notice(uow, policy)
    edited = notice.canonical.replace(b'"amount":"1200.00"', b'"amount":"12.00"')
    assert edited != notice.canonical
    uow.session.execute(update(Notice).where(Notice.id == notice.id).values(canonical=edited))
    uow.session.expire_all()
    assert verification.verify_code(uow, notice.code).outcome == verification.NOT_GENUINE
    assert not genuine(uow, uow.session.get(Notice, notice.id))


def test_a_signature_swapped_in_from_another_notice_is_not_genuine(uow):
    _, _, policy = holder_with_policy(uow)
    first = raise_notice(uow, policy)
    second = raise_notice(uow, policy, on=uow.clock.today() + timedelta(days=1))
    uow.session.execute(update(Notice).where(Notice.id == first.id).values(signature=second.signature))
    uow.session.expire_all()
    assert verification.verify_code(uow, first.code).outcome == verification.NOT_GENUINE


def test_an_events_notice_is_planned_to_the_channels_chosen_with_or_without_per_type_choices(uow):
    """A change's notice is written with its deliveries (one statement on PostgreSQL) when its
    customer has no per-type choice; with one, the choices are read first. Both plan the same."""
    from paas.notices.models import NoticePreference
    from paas.notices.preferences import channels_for
    from paas.notices.types import notice_type
    from tests.notice_events_support import deliveries

    kind = notice_type("premium_due")
    general, _, first = holder_with_policy(uow, email="general@example.com", mobile="+8613900001111")
    chosen, _, second = holder_with_policy(uow, email="chosen@example.com", mobile="+8613900002222")
    for customer in (general, chosen):
        customer.notice_by_email, customer.notice_by_sms = True, False
    uow.session.add(NoticePreference(customer_id=chosen.id, notice_type=kind.code, channel="sms", wanted=True,
                                     updated_at=uow.clock.now()))
    uow.session.flush()
    plain = deliveries(uow, raise_notice(uow, first))
    with_choice = deliveries(uow, raise_notice(uow, second))
    assert sorted(plain) == sorted(channels_for(general, kind, {})) and "sms" not in plain
    assert sorted(with_choice) == sorted(channels_for(chosen, kind, {(kind.code, "sms"): True})) and "sms" in with_choice
    assert plain["email"].recipient == "general@example.com" and with_choice["sms"].recipient == "+8613900002222"
    assert {d.status for d in (*plain.values(), *with_choice.values())} == {"pending"}


def test_a_notice_names_its_events_own_policy_or_none_and_then_no_event(uow):
    # The event and the policy are checked as one pair: a notice cannot name another policy
    # than its event's, nor a policy without an event (an account notice names neither).
    from sqlalchemy.exc import IntegrityError

    from tests.factories import make_policy

    customer, _, policy = holder_with_policy(uow)
    other = make_policy(uow, customer)
    notice = raise_notice(uow, policy, "lapsed", lapse_data())
    uow.session.flush()
    for change in ({"policy_id": other.id}, {"event_id": None}, {"policy_id": None}, {"policy_id": 10**9}):
        with pytest.raises(IntegrityError):
            with uow.session.begin_nested():
                uow.session.execute(update(Notice).where(Notice.id == notice.id).values(**change))
    with uow.session.begin_nested():
        uow.session.execute(update(Notice).where(Notice.id == notice.id).values(policy_id=None, event_id=None))
    assert uow.session.scalar(select(Notice.policy_id).where(Notice.id == notice.id)) is None
