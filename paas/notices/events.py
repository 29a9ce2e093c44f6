"""The one way to raise a policy event from a service: ``raise_event(uow, policy_id, kind,
on, data, reference=...)``. The data is checked against the kind's registry entry, written as
sorted JSON, and the row is inserted once per (policy, kind, reference, date); a new event of
a kind that makes a notice makes it in the same transaction (``paas.notices.records``).
The cycle writes its thousands through ``paas.notices.bulk`` instead."""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.insert_once import insert_once_returning_id
from paas.notices.event_kinds import kind as event_kind
from paas.notices.models import PolicyEvent

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def detail_json(data: Mapping[str, object]) -> str:
    return json.dumps(dict(data), ensure_ascii=False, sort_keys=True, default=str)


def raise_event(uow: "UnitOfWork", policy_id: int, kind: str, on: date, data: Mapping[str, object] | None = None,
                *, reference: str = "") -> bool:
    """Record the event; True if it is new (False: this policy already had it that day)."""
    data = data or {}
    event_kind(kind).check(reference, data)
    values = {"policy_id": policy_id, "type": kind, "reference": reference, "event_date": on,
              "detail": detail_json(data), "created_at": uow.clock.now()}
    if event_kind(kind).notice is not None and uow.session.get_bind().dialect.name == "postgresql":
        from paas.notices.records import raise_with_notice  # the event and its notice's facts in one round trip

        return raise_with_notice(uow, values) is not None
    event_id = insert_once_returning_id(uow.session, PolicyEvent, **values)
    if event_id is not None and event_kind(kind).notice is not None:
        from paas.notices.records import notice_for_event  # records needs the notice types (render's part)

        notice_for_event(uow, event_id)
    return event_id is not None


def event_row(uow: "UnitOfWork", policy_id: int, kind: str, on: date, data: Mapping[str, object] | None = None,
              *, reference: str = "") -> dict | None:
    """The row ``raise_event`` inserts once, checked, for a caller that inserts it beside another
    (``paas.insert_once.insert_both_once``); None for a kind that makes a notice (raise it)."""
    if event_kind(kind).notice is not None:
        return None
    data = data or {}
    event_kind(kind).check(reference, data)
    return {"policy_id": policy_id, "type": kind, "reference": reference, "event_date": on,
            "detail": detail_json(data), "created_at": uow.clock.now()}


def raise_event_beside(uow: "UnitOfWork", policy_id: int, kind: str, on: date, data: Mapping[str, object] | None,
                       *, reference: str, beside, beside_params: dict):
    """``raise_event``, and the caller's own data-modifying CTEs in the same round trip (``beside``:
    as ``paas.notices.records.raise_with_notice`` takes them): (whether the event is new, the value
    they returned); None where that cannot be (not PostgreSQL, or a kind that makes no notice):
    the caller then sends its statement and raises the event apart."""
    if event_kind(kind).notice is None or uow.session.get_bind().dialect.name != "postgresql":
        return None
    data = data or {}
    event_kind(kind).check(reference, data)
    values = {"policy_id": policy_id, "type": kind, "reference": reference, "event_date": on,
              "detail": detail_json(data), "created_at": uow.clock.now()}
    from paas.notices.records import raise_with_notice

    event_id, value = raise_with_notice(uow, values, beside=beside, beside_params=beside_params)
    return event_id is not None, value


def last_raised(uow: "UnitOfWork", policy_id: int, kind: str, reference: str = "") -> date | None:
    """The latest date ``kind`` was raised for the policy (and reference), if ever."""
    event_kind(kind)
    return uow.session.scalar(select(func.max(PolicyEvent.event_date)).where(
        PolicyEvent.policy_id == policy_id, PolicyEvent.type == kind, PolicyEvent.reference == reference))


def was_raised(uow: "UnitOfWork", policy_id: int, kind: str, reference: str) -> bool:
    return last_raised(uow, policy_id, kind, reference) is not None
