"""Notices made the way the platform makes them: a policy event raised for a policy."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from paas.notices.events import raise_event
from paas.notices.models import Notice, NoticeDelivery
from tests.factories import make_policy, make_policyholder


def lapse_data(due: str = "2026-09-01") -> dict:
    return {"amount": "1200.00", "due_date": due, "lapsed_on": "2026-11-01"}


def raise_notice(uow, policy, kind: str = "premium_due", data: dict | None = None, on: date | None = None,
                 reference: str = "") -> Notice:
    data = data or {"amount": "1200.00", "due_date": "2027-03-01"}
    assert raise_event(uow, policy.id, kind, on or uow.clock.today(), data, reference=reference)
    return uow.session.scalars(select(Notice).where(Notice.policy_id == policy.id).order_by(Notice.id.desc())).first()


def holder_with_policy(uow, **customer_fields):
    customer, account = make_policyholder(uow, **customer_fields)
    return customer, account, make_policy(uow, customer)


def deliveries(uow, notice: Notice) -> dict[str, NoticeDelivery]:
    return {d.channel: d for d in uow.session.scalars(select(NoticeDelivery).where(NoticeDelivery.notice_id == notice.id))}
