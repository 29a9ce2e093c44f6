"""Requests that were never confirmed end by themselves.

A request waiting for its code ends ("expired") ``REQUEST_LIFETIME`` after it was made: an
abandoned withdrawal must not block the next one (or a surrender) on the policy for days.
The engine ends a stale one on its next touch (a conflict check, a confirmation); the
nightly cycle ends any left over and tells the customer, in their language."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, select

from paas.audit import chain
from paas.customers.models import Customer
from paas.errors import N_
from paas.i18n import translate
from paas.messaging import outbox
from paas.security.models import Account
from paas.servicing.models import ServiceRequest
from paas.servicing.registry import transaction

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

REQUEST_LIFETIME = timedelta(minutes=30)
WAITING = "awaiting_code"
ENDED_SMS = N_("[Pinghe Life] Request %(reference)s (%(what)s) was not confirmed in time and has ended. "
               "Nothing was changed; you may start it again at any time.")
ENDED_SUBJECT = N_("Your request %(reference)s has ended")


def is_stale(request: ServiceRequest, now: datetime) -> bool:
    """Still waiting for its code, and past its time."""
    return request.status == WAITING and request.created_at + REQUEST_LIFETIME <= now


def stale(now: datetime) -> ColumnElement[bool]:
    """``is_stale`` as SQL: what conflict checks and the services page leave out."""
    return stale_if_made_by(now - REQUEST_LIFETIME)


def stale_if_made_by(cutoff) -> ColumnElement[bool]:
    """``stale`` with its cut-off (``now - REQUEST_LIFETIME``) given, a value or a bind (a
    prebuilt statement's)."""
    return and_(ServiceRequest.status == WAITING, ServiceRequest.created_at <= cutoff)


def expire(uow: "UnitOfWork", request: ServiceRequest, *, tell: bool = False) -> None:
    """End ``request`` (locked by the caller) as expired; ``tell``: let the customer know."""
    request.status, request.updated_at = "expired", uow.clock.now()
    request.code_hash = None  # its code can confirm nothing now
    chain.record(uow, chain.SYSTEM, "servicing.expired", subject=f"request:{request.reference}")
    if tell:
        _tell(uow, request)


def expire_left_over(platform: "Platform", *, limit: int = 100) -> int:
    """End every stale request, ``limit`` a transaction; returns how many were ended."""
    ended = 0
    while True:
        with platform.unit_of_work() as uow:
            query = (select(ServiceRequest).where(stale(uow.clock.now())).order_by(ServiceRequest.id)
                     .limit(limit).with_for_update(skip_locked=True))
            found = list(uow.session.scalars(query))
            for request in found:
                expire(uow, request, tell=True)
            uow.commit()
        ended += len(found)
        if len(found) < limit:
            return ended


def _tell(uow: "UnitOfWork", request: ServiceRequest) -> None:
    customer = uow.session.get(Customer, request.customer_id)
    locale = uow.session.scalar(select(Account.locale).where(Account.customer_id == customer.id)) or "zh"
    params = {"reference": request.reference, "what": translate(locale, transaction(request.kind).label)}
    body = translate(locale, ENDED_SMS, **params)
    if customer.mobile:
        outbox.queue(uow, channel="sms", kind="servicing_expired", recipient=customer.mobile, body=body,
                     locale=locale, customer_id=customer.id)
    elif customer.email:
        outbox.queue(uow, channel="email", kind="servicing_expired", recipient=customer.email, body=body,
                     subject=translate(locale, ENDED_SUBJECT, **params), locale=locale, customer_id=customer.id)
