"""Notices as records: made from events - one at a time in the transaction that raised the
event, or in bulk for the cycle's night - signed, stored with their deliveries planned. The
letter itself (HTML, PDF) is rendered only when it is delivered or viewed.

A notice is the canonical data as signed (``paas.notices.document``), its signature, key id
and verification code; one per event (``notices.event_id`` is unique), so a rerun makes none twice."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select

from paas.customers.models import Customer
from paas.i18n import DEFAULT_LOCALE, supported
from paas.notices import document
from paas.notices.bulk_insert import insert_new
from paas.notices.event_kinds import KINDS
from paas.notices.from_events import BUILDERS, EventFacts
from paas.notices.models import Notice, PolicyEvent
from paas.notices.planning import plan_deliveries
from paas.policies.models import Policy
from paas.products.models import Product
from paas.security.models import Account

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from iaas.keyring import KeyRing
    from paas.unit_of_work import UnitOfWork

CHUNK = 5000
NOTICE_KINDS = tuple(name for name, kind in KINDS.items() if kind.notice is not None)


def notice_number(event_id: int) -> str:
    return f"N{event_id:011d}"


def _facts_query(*where: ColumnElement[bool]):
    locale = (select(Account.locale).where(Account.customer_id == Customer.id).limit(1).scalar_subquery())
    return (select(PolicyEvent.id, PolicyEvent.type, PolicyEvent.reference, PolicyEvent.event_date, PolicyEvent.detail,
                   Policy.id, Policy.policy_number, Policy.sum_assured, Policy.modal_premium, Policy.premium_mode,
                   Policy.issue_date, Product.name_zh, Product.name_en, Customer.id, Customer.name, locale)
            .join(Policy, Policy.id == PolicyEvent.policy_id)
            .join(Product, Product.id == Policy.product_id)
            .join(Customer, Customer.id == Policy.owner_id)
            .outerjoin(Notice, Notice.event_id == PolicyEvent.id)
            .where(Notice.id.is_(None), PolicyEvent.type.in_(NOTICE_KINDS), *where)
            .order_by(PolicyEvent.id))


def _row(facts: EventFacts, keyring: "KeyRing", now) -> dict | None:
    fields = BUILDERS[facts.kind](facts)
    if fields is None:
        return None
    language = supported(facts.locale) or DEFAULT_LOCALE
    notice_type = KINDS[facts.kind].notice
    data = document.build(  # checked against its type here, so signed as built (document.sign would check again)
        notice_type, notice_number=notice_number(facts.event_id), language=language, issued_on=facts.on,
        recipient_name=facts.customer_name, policy_number=facts.policy_number, fields=fields)
    canonical = document.canonical_bytes(data)
    key_id, signature = keyring.sign(canonical, purpose=document.PURPOSE)
    return {"code": document.verification_code(signature), "customer_id": facts.customer_id,
            "policy_id": facts.policy_id, "event_id": facts.event_id, "notice_type": notice_type, "locale": language,
            "issued_on": facts.on, "canonical": canonical, "signature": signature, "key_id": key_id,
            "created_at": now}


def record_notices(session: "Session", keyring: "KeyRing", now, *where: ColumnElement[bool]) -> list[int]:
    """Make the notices of the events matching ``where`` that have none; returns their ids.
    Per chunk of events: one query for them and their facts, one COPY of their notices, one of
    their deliveries."""
    made: list[int] = []
    last = 0
    while True:  # by ranges of event ids (keyset): each query an index range, however many events there are
        partition = session.execute(_facts_query(*where, PolicyEvent.id > last).limit(CHUNK)).all()
        if not partition:
            break
        last = partition[-1][0]
        chunk = [row for row in (_row(EventFacts(*values), keyring, now) for values in partition) if row]
        if not chunk:
            continue
        ids = insert_new(session, Notice, chunk)
        plan_deliveries(session, ids, now)
        made += ids
    return made


def notice_for_event(uow: "UnitOfWork", event_id: int) -> int | None:
    """The notice of one event just raised (in its transaction), delivered after the commit."""
    made = record_notices(uow.session, uow.keyring, uow.clock.now(), PolicyEvent.id == event_id)
    if made:
        from paas.notices.delivery import deliver_after_commit

        deliver_after_commit(uow, made)
    return made[0] if made else None


def notices_for_policies(uow: "UnitOfWork", policy_ids: Iterable[ColumnElement[bool]], on) -> list[int]:
    """The cycle's step: notices of the night's events for a batch of policies (``policy_ids``:
    the batch's WHERE conditions on the policies table)."""
    return record_notices(uow.session, uow.keyring, uow.clock.now(), PolicyEvent.event_date == on, *policy_ids)
