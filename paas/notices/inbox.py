"""A customer's notices: the inbox (newest first, filtered by policy and type), the unread
count, a notice opened (and so read) and its PDF. Only the customer's own: anyone else's
notice is ``NotFound``, exactly as one that does not exist."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func, select

from paas.errors import N_, NotFound
from paas.notices.letters import genuine, letter_pdf, signed
from paas.notices.models import Notice, NoticeDelivery
from paas.notices.types import all_types
from paas.policies.models import Policy

if TYPE_CHECKING:
    from paas.notices.document import SignedNotice
    from paas.unit_of_work import UnitOfWork

NOTICE_NOT_FOUND = N_("There is no such notice.")
PAGE = 50


@dataclass(frozen=True)
class InboxLine:
    id: int
    notice_type: str
    policy_number: str | None
    issued_on: date
    read: bool
    code: str


@dataclass(frozen=True)
class Inbox:
    lines: list[InboxLine]
    unread: int
    policies: list[str]  # the customer's policy numbers with notices, for the filter
    types: list[str]  # notice type codes, for the filter
    policy: str | None  # the filter applied
    notice_type: str | None


@dataclass(frozen=True)
class OpenedNotice:
    id: int
    notice_type: str
    policy_number: str | None
    issued_on: date
    document: "SignedNotice"
    genuine: bool
    read_at: datetime | None
    channels: list[tuple[str, str]]  # (channel, status)


# Built once: the asset sheet shows it on every visit, read with the sheet's own statement
# (``paas.policies.queries.asset_sheet_with``), whose owner is the bind parameter ``owner_id``.
_UNREAD = select(func.count(Notice.id)).where(Notice.customer_id == bindparam("owner_id"), Notice.read_at.is_(None))
UNREAD_OF_OWNER = _UNREAD.scalar_subquery().label("unread_notices")


def unread_count(uow: "UnitOfWork", customer_id: int) -> int:
    return uow.connection().execute(_UNREAD, {"owner_id": customer_id}).scalar() or 0


def inbox(uow: "UnitOfWork", customer_id: int, *, policy: str | None = None, notice_type: str | None = None,
          limit: int = PAGE) -> Inbox:
    codes = {t.code for t in all_types()}
    notice_type = notice_type if notice_type in codes else None
    query = (select(Notice.id, Notice.notice_type, Policy.policy_number, Notice.issued_on, Notice.read_at, Notice.code)
             .outerjoin(Policy, Policy.id == Notice.policy_id).where(Notice.customer_id == customer_id))
    if policy:
        query = query.where(Policy.policy_number == policy.strip().upper())
    if notice_type:
        query = query.where(Notice.notice_type == notice_type)
    lines = [InboxLine(i, t, p, d, r is not None, c)
             for i, t, p, d, r, c in uow.session.execute(query.order_by(Notice.id.desc()).limit(limit))]
    policies = list(uow.session.scalars(
        select(Policy.policy_number).join(Notice, Notice.policy_id == Policy.id)
        .where(Notice.customer_id == customer_id).distinct().order_by(Policy.policy_number)))
    present = set(uow.session.scalars(select(Notice.notice_type).where(Notice.customer_id == customer_id).distinct()))
    types = [t.code for t in all_types() if t.code in present]
    return Inbox(lines, unread_count(uow, customer_id), policies, types, policy or None, notice_type)


def _own(uow: "UnitOfWork", customer_id: int, notice_id: int) -> Notice:
    notice = uow.session.get(Notice, notice_id)
    if notice is None or notice.customer_id != customer_id:
        raise NotFound(NOTICE_NOT_FOUND)
    return notice


def open_notice(uow: "UnitOfWork", customer_id: int, notice_id: int) -> OpenedNotice:
    """The notice, marked read the first time it is opened (a read-only unit of work only looks)."""
    notice = _own(uow, customer_id, notice_id)
    if notice.read_at is None and not uow.read_only:
        notice.read_at = uow.clock.now()
    number = uow.session.scalar(select(Policy.policy_number).where(Policy.id == notice.policy_id)) \
        if notice.policy_id else None
    channels = list(uow.session.execute(select(NoticeDelivery.channel, NoticeDelivery.status)
                                        .where(NoticeDelivery.notice_id == notice.id).order_by(NoticeDelivery.channel)))
    return OpenedNotice(notice.id, notice.notice_type, number, notice.issued_on, signed(notice), genuine(uow, notice),
                        notice.read_at, [tuple(c) for c in channels])


def set_read(uow: "UnitOfWork", customer_id: int, notice_id: int, read: bool) -> None:
    notice = _own(uow, customer_id, notice_id)
    notice.read_at = (notice.read_at or uow.clock.now()) if read else None


def notice_pdf(uow: "UnitOfWork", customer_id: int, notice_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of the customer's notice; opening the PDF reads the notice."""
    from paas.notices.letters import pdf_filename

    notice = _own(uow, customer_id, notice_id)
    if notice.read_at is None:
        notice.read_at = uow.clock.now()
    return pdf_filename(notice), letter_pdf(uow, notice)
