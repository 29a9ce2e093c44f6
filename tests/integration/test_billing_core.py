"""Crediting premiums and listing what is due: once per due, oldest first, with the grace
and lapse dates a policyholder needs."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from paas.audit.chain import SYSTEM
from paas.billing.crediting import CreditRefused, credit_premium
from paas.billing.dues import open_dues
from paas.notices.events import raise_event
from paas.notices.models import PolicyEvent
from paas.policies.models import PremiumPayment
from tests.factories import make_policy, make_policyholder


def _credit(uow, policy, due, amount=None, reference="test"):
    return credit_premium(uow, policy, due, Decimal(amount or policy.modal_premium), kind="payment", channel="card",
                          reference=reference, actor=SYSTEM)


def test_a_due_is_credited_once_and_moves_the_paid_to_date(uow):
    customer, _ = make_policyholder(uow)
    policy = make_policy(uow, customer, mode="monthly", issue_date=date(2026, 1, 31), paid_to=date(2026, 10, 31),
                         premium="100.00", status="grace")
    assert _credit(uow, policy, date(2026, 10, 31)) is True
    assert policy.paid_to_date == date(2026, 11, 30)  # the 31st clamps to the 30th
    assert policy.status == "in_force"  # nothing is overdue any more: the next due, 11-30, is still ahead
    assert _credit(uow, policy, date(2026, 10, 31)) is False  # a retry changes nothing
    count = uow.session.scalar(select(func.count()).select_from(PremiumPayment).where(PremiumPayment.policy_id == policy.id))
    assert count == 9 + 1  # January to September paid before, plus October


def test_paying_the_last_overdue_due_ends_the_grace_period(uow):
    customer, _ = make_policyholder(uow)
    policy = make_policy(uow, customer, issue_date=date(2020, 11, 1), paid_to=date(2026, 11, 1), status="grace")
    assert _credit(uow, policy, date(2026, 11, 1))
    assert policy.paid_to_date == date(2027, 11, 1) and policy.status == "in_force"
    assert policy.status_date == date(2026, 11, 27)
    kinds = uow.session.scalars(select(PolicyEvent.type).where(PolicyEvent.policy_id == policy.id)).all()
    assert kinds == ["premium_received"]


@pytest.mark.parametrize(
    ("due", "amount", "status"),
    [
        (date(2027, 11, 1), None, "grace"),  # not the oldest unpaid due
        (date(2026, 11, 1), "999.00", "grace"),  # not the premium due
        (date(2026, 11, 1), None, "lapsed"),  # lapsed policies are reinstated, not paid
    ],
)
def test_out_of_order_mismatched_or_lapsed_is_refused(uow, due, amount, status):
    customer, _ = make_policyholder(uow)
    policy = make_policy(uow, customer, issue_date=date(2020, 11, 1), paid_to=date(2026, 11, 1), status=status)
    with pytest.raises(CreditRefused):
        _credit(uow, policy, due, amount)
    assert policy.paid_to_date == date(2026, 11, 1)


def test_premium_end_caps_the_paid_to_date(uow):
    customer, _ = make_policyholder(uow)
    policy = make_policy(uow, customer, issue_date=date(2007, 3, 1), paid_to=date(2026, 3, 1), term_years=30,
                         premium_years=20, status="in_force")
    assert _credit(uow, policy, date(2026, 3, 1))
    assert policy.paid_to_date == date(2027, 3, 1) == policy.premium_end_date


def test_open_dues_show_grace_and_lapse_dates(uow):
    customer, _ = make_policyholder(uow)
    monthly = make_policy(uow, customer, mode="monthly", issue_date=date(2022, 10, 20), paid_to=date(2026, 10, 20),
                          premium="439.16", status="grace")
    annual = make_policy(uow, customer, issue_date=date(2020, 12, 15), paid_to=date(2026, 12, 15))
    make_policy(uow, customer, issue_date=date(2020, 3, 1), paid_to=date(2027, 3, 1))  # nothing due yet
    dues = open_dues(uow, customer.id)
    assert [(d.policy_number, d.due_date) for d in dues] == [
        (monthly.policy_number, date(2026, 10, 20)), (monthly.policy_number, date(2026, 11, 20)),
        (monthly.policy_number, date(2026, 12, 20)), (annual.policy_number, date(2026, 12, 15)),
    ]
    first = dues[0]
    assert first.grace_ends == date(2026, 12, 19) and first.lapses_on == date(2026, 12, 20)
    assert first.overdue(date(2026, 11, 27)) and not dues[-1].overdue(date(2026, 11, 27))
    assert all(d.amount == Decimal("439.16") for d in dues[:3])


def test_another_customers_dues_are_not_listed(uow):
    alice, _ = make_policyholder(uow)
    bob, _ = make_policyholder(uow)
    make_policy(uow, bob, issue_date=date(2020, 12, 1), paid_to=date(2026, 12, 1))
    assert open_dues(uow, alice.id) == []


def test_events_are_raised_once_per_policy_kind_and_date(uow):
    customer, _ = make_policyholder(uow)
    policy = make_policy(uow, customer)
    day = date(2026, 11, 27)
    assert raise_event(uow, policy.id, "cover_ended", day, {"expiry_date": "2026-12-20"})
    assert not raise_event(uow, policy.id, "cover_ended", day, {"expiry_date": "2026-12-20"})
    assert raise_event(uow, policy.id, "cover_ended", day + timedelta(days=1), {"expiry_date": "2026-12-20"})
