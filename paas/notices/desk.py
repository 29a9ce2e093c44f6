"""The notices as staff see them in the console: deliveries given up (to start again), and the
statistics - letters by type and channel, the share delivered electronically (paper saved) and
the share opened. Masked: a recipient is shown as its last characters only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.errors import N_, NotPermitted
from paas.notices.delivery import FAILED, PRINTED, SENT
from paas.notices.models import Notice, NoticeDelivery
from paas.notices.preferences import CHANNELS, PAPER
from paas.notices.types import all_types
from paas.policies.models import Policy
from paas.security.roles import CLERK, SUPERVISOR
from paas.statistics.periods import check_period

if TYPE_CHECKING:
    from paas.security.principal import Principal
    from paas.unit_of_work import UnitOfWork

NOTICE_DESK_ROLES = (CLERK, SUPERVISOR)
NOT_YOURS = N_("Only servicing clerks and supervisors work with notice deliveries.")


def check_desk(staff: "Principal") -> None:
    if staff.role not in NOTICE_DESK_ROLES:
        raise NotPermitted(NOT_YOURS)


def masked_recipient(recipient: str | None) -> str:
    if not recipient:
        return "—"
    if "@" in recipient:
        name, _, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    return "*" * 7 + recipient[-4:]


@dataclass(frozen=True)
class FailedDelivery:
    id: int
    notice_id: int
    notice_type: str
    policy_number: str | None
    channel: str
    recipient: str  # masked
    attempts: int
    last_error: str | None
    issued_on: date


def failed_deliveries(uow: "UnitOfWork", staff: "Principal", limit: int = 200) -> list[FailedDelivery]:
    check_desk(staff)
    rows = uow.session.execute(
        select(NoticeDelivery, Notice.notice_type, Notice.issued_on, Policy.policy_number)
        .join(Notice, Notice.id == NoticeDelivery.notice_id).outerjoin(Policy, Policy.id == Notice.policy_id)
        .where(NoticeDelivery.status == FAILED).order_by(NoticeDelivery.id.desc()).limit(limit))
    return [FailedDelivery(d.id, d.notice_id, notice_type, number, d.channel, masked_recipient(d.recipient), d.attempts,
                           d.last_error, issued_on) for d, notice_type, issued_on, number in rows]


@dataclass(frozen=True)
class TypeLine:
    notice_type: str
    notices: int
    by_channel: dict[str, int]  # delivered (sent or printed) per channel
    failed: int
    opened: int


@dataclass(frozen=True)
class NoticeStatistics:
    start: date
    end: date
    lines: list[TypeLine]
    notices: int
    electronic_share: Decimal | None  # of the letters: none went on paper
    opened_share: Decimal | None
    pending: int


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(Decimal("0.001")) if whole else None


def statistics(uow: "UnitOfWork", staff: "Principal", start: date, end: date) -> NoticeStatistics:
    check_desk(staff)
    check_period(start, end)
    in_period = (Notice.issued_on >= start, Notice.issued_on <= end)
    counts = {t: (n, o) for t, n, o in uow.session.execute(
        select(Notice.notice_type, func.count(), func.count(Notice.read_at)).where(*in_period).group_by(Notice.notice_type))}
    delivered: dict[str, dict[str, int]] = {}
    failed: dict[str, int] = {}
    pending = 0
    for notice_type, channel, status, count in uow.session.execute(
            select(Notice.notice_type, NoticeDelivery.channel, NoticeDelivery.status, func.count())
            .join(Notice, Notice.id == NoticeDelivery.notice_id).where(*in_period)
            .group_by(Notice.notice_type, NoticeDelivery.channel, NoticeDelivery.status)):
        if status in (SENT, PRINTED):
            delivered.setdefault(notice_type, {}).setdefault(channel, 0)
            delivered[notice_type][channel] += count
        elif status == FAILED:
            failed[notice_type] = failed.get(notice_type, 0) + count
        else:
            pending += count
    letters = [t.code for t in all_types() if t.has_letter]
    on_paper = uow.session.scalar(
        select(func.count(func.distinct(NoticeDelivery.notice_id))).join(Notice, Notice.id == NoticeDelivery.notice_id)
        .where(*in_period, NoticeDelivery.channel == PAPER, Notice.notice_type.in_(letters))) or 0
    letter_count = sum(counts.get(code, (0, 0))[0] for code in letters)
    lines = [TypeLine(t.code, counts.get(t.code, (0, 0))[0], {c: delivered.get(t.code, {}).get(c, 0) for c in CHANNELS},
                      failed.get(t.code, 0), counts.get(t.code, (0, 0))[1]) for t in all_types()]
    total = sum(n for n, _ in counts.values())
    opened = sum(o for _, o in counts.values())
    return NoticeStatistics(start, end, [line for line in lines if line.notices], total,
                            _share(letter_count - on_paper, letter_count), _share(opened, total), pending)


