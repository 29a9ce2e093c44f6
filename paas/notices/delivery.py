"""Delivering notices: ``deliver_due(uow, now, limit)`` sends what is due, ``deliver(uow,
notice_id, channel, now)`` one delivery. The caller owns the transaction (the CLI command
``portal notices deliver``, the after-commit pass of the request that made the notice, the job
worker). Each delivery row is one notice on one channel (unique), locked while it is sent
(SKIP LOCKED on PostgreSQL, so two workers never take the same row) and marked sent in the
same transaction, so a notice never goes twice by one channel; the envelope's reference
(``notice-<id>-<channel>``) lets a gateway drop the repeat of a send whose commit was lost.
A failure is retried later, further apart each time (``BACKOFF``), then given up and shown in
the console, where staff can start it again (``retry``)."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select

from iaas.messaging import Attachment, Envelope
from paas.audit import chain
from paas.errors import N_, NotFound
from paas.i18n import translate
from paas.notices.letters import PDF_TYPE, letter_pdf, pdf_filename, signed
from paas.notices.models import Notice, NoticeDelivery
from paas.notices.preferences import EMAIL, SMS
from paas.messaging.optout import opted_out_among, suppressed
from paas.notices.types import notice_type

if TYPE_CHECKING:
    from paas.security.principal import Principal
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
ELECTRONIC = (EMAIL, SMS)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
PENDING, SENT, FAILED, SUPPRESSED, PRINTED = "pending", "sent", "failed", "suppressed", "printed"
SUBJECT = N_("%(title)s - Pinghe Life")
READ_IT = N_("Read it in your inbox: %(url)s")
NO_DELIVERY = N_("There is no such delivery.")


@dataclass
class DeliveryRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    suppressed: int = 0


def inbox_url(public_url: str, notice_id: int) -> str:
    return f"{public_url.rstrip('/')}/notices/{notice_id}"


def _due(now: datetime):
    return (NoticeDelivery.status == PENDING, NoticeDelivery.channel.in_(ELECTRONIC),
            NoticeDelivery.next_attempt_at <= now)


def deliver_due(uow: "UnitOfWork", now: datetime, limit: int = 100) -> DeliveryRun:
    """Send up to ``limit`` deliveries that are due; the caller commits."""
    query = select(NoticeDelivery).where(*_due(now)).order_by(NoticeDelivery.next_attempt_at, NoticeDelivery.id)
    run = DeliveryRun()
    _attempt_all(uow, uow.session.scalars(_locked(uow, query.limit(limit))).all(), now, run)
    return run


def deliver(uow: "UnitOfWork", notice_id: int, channel: str, now: datetime) -> str:
    """Send one notice by one channel if it is still to go; returns the delivery's status.
    Already sent (or printed): nothing is sent again."""
    query = select(NoticeDelivery).where(NoticeDelivery.notice_id == notice_id, NoticeDelivery.channel == channel)
    delivery = uow.session.scalar(_locked(uow, query))
    if delivery is None:
        raise NotFound(NO_DELIVERY)
    if delivery.status == PENDING and channel in ELECTRONIC:
        _attempt(uow, delivery, now, DeliveryRun())
    return delivery.status


def retry(uow: "UnitOfWork", staff: "Principal", delivery_id: int) -> NoticeDelivery:
    """Staff start a given-up delivery again (the console's failures page): due at once."""
    delivery = uow.session.get(NoticeDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.status != FAILED:
        raise NotFound(NO_DELIVERY)
    delivery.status, delivery.attempts, delivery.next_attempt_at = PENDING, 0, uow.clock.now()
    chain.record(uow, staff.actor, "notice.delivery_retried", subject=f"notice:{delivery.notice_id}",
                 detail={"channel": delivery.channel})
    deliver_after_commit(uow, [delivery.notice_id])
    return delivery


def _locked(uow: "UnitOfWork", query):
    if uow.session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def _attempt_all(uow: "UnitOfWork", deliveries: list[NoticeDelivery], now: datetime, run: DeliveryRun) -> None:
    """Each of ``deliveries`` attempted, their notices read in one statement and the opt-out
    list looked at once for the SMS that heed it. The notices are held here: the session's
    identity map keeps an object only while something refers to it."""
    if not deliveries:
        return
    notices = {notice.id: notice for notice in uow.session.scalars(
        select(Notice).where(Notice.id.in_(sorted({d.notice_id for d in deliveries}))))}
    heeding = {delivery.recipient for delivery in deliveries if delivery.channel == SMS and delivery.recipient
               and not _always_sent(notices[delivery.notice_id])}
    opted_out = opted_out_among(uow, heeding)
    for delivery in deliveries:
        _attempt(uow, delivery, now, run, opted_out, notices[delivery.notice_id])


def _always_sent(notice: Notice) -> bool:
    kind = notice_type(notice.notice_type)
    return kind.legally_required or kind.security


def _attempt(uow: "UnitOfWork", delivery: NoticeDelivery, now: datetime, run: DeliveryRun,
             opted_out: frozenset[str] | None = None, notice: Notice | None = None) -> None:
    notice = notice or uow.session.get(Notice, delivery.notice_id)
    if delivery.channel == SMS and suppressed(uow, delivery.recipient, _always_sent(notice), opted_out):
        delivery.status, delivery.last_error = SUPPRESSED, "STOP"
        run.suppressed += 1
        return
    delivery.attempts += 1
    try:
        gateway = uow.platform.gateways.get(delivery.channel)
        if gateway is None:
            raise RuntimeError(f"no gateway for {delivery.channel}")
        delivery.provider_id = gateway.send(_envelope(uow, notice, delivery))
    except Exception as exc:  # one failed send must not stop the others; it is retried
        log.warning("notice %s by %s failed: %s", notice.id, delivery.channel, exc)
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = FAILED
            run.failed += 1
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
            run.retrying += 1
        return
    delivery.status, delivery.sent_at, delivery.last_error = SENT, now, None
    run.sent += 1


def _envelope(uow: "UnitOfWork", notice: Notice, delivery: NoticeDelivery) -> Envelope:
    from paas.notices.view import sms_summary  # render's part: the notice's words in its language

    data = signed(notice).data
    summary = sms_summary(data, notice.locale)
    link = translate(notice.locale, READ_IT, url=inbox_url(uow.platform.public_url, notice.id))
    reference = f"notice-{notice.id}-{delivery.channel}"
    kind = notice_type(notice.notice_type)
    if delivery.channel == SMS:
        return Envelope(SMS, delivery.recipient, None, f"{summary} {link}", reference)
    attachments = ()
    if kind.has_letter:
        attachments = (Attachment(pdf_filename(notice), PDF_TYPE, letter_pdf(uow, notice)),)
    subject = translate(notice.locale, SUBJECT, title=translate(notice.locale, kind.title))
    return Envelope(EMAIL, delivery.recipient, subject, f"{summary}\n\n{link}", reference, attachments)


DELIVER_MADE_JOB = "notices.deliver_made"  # a change's own notices (paas.notices.jobs)


def deliver_made(uow: "UnitOfWork", notice_ids: Iterable[int]) -> DeliveryRun:
    """Send what is due of these notices only: a page's request must not start on the night's
    hundred thousand (the worker's sweep does). The caller commits."""
    now = uow.clock.now()
    query = _MADE_DUE_LOCKED if uow.session.get_bind().dialect.name == "postgresql" else _MADE_DUE
    run = DeliveryRun()
    _attempt_all(uow, uow.session.scalars(query, {"now": now, "ids": sorted(set(notice_ids))}).all(), now, run)
    return run


# Built once: this runs after every change that made a notice, and a statement built anew each
# time has its cache key worked out anew (the ORM's look-up of the compiled form) each time.
_MADE_DUE = (select(NoticeDelivery).where(*_due(bindparam("now")), NoticeDelivery.notice_id.in_(bindparam("ids", expanding=True)))
             .order_by(NoticeDelivery.id))
_MADE_DUE_LOCKED = _MADE_DUE.with_for_update(skip_locked=True)


def deliver_after_commit(uow: "UnitOfWork", notice_ids: Iterable[int]) -> None:
    """The notices this change made go once it is committed, through the job queue (a worker,
    not the request's thread; with no queue wired, right after the commit in this process)."""
    for notice_id in notice_ids:
        uow.enqueue_job(DELIVER_MADE_JOB, {"notice_id": int(notice_id)})
