"""Servicing statistics for supervisors and clerks: requests by type and channel over a
period, the share applied without staff (web, app, SMS), and the turnaround from submission
to applied, separately for requests a colleague reviewed and those that went straight through."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.errors import N_, InvalidInput, NotPermitted
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR
from paas.servicing.history import label_of
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CHANNELS = ("web", "api", "sms", "console")
SELF_SERVICE = ("web", "api", "sms")
# Days are the insurer's business days (China Standard Time).
BUSINESS_TZ = timezone(timedelta(hours=8))
MAX_DAYS = 366
STATISTICS_ROLES = (CLERK, SUPERVISOR)


@dataclass(frozen=True)
class KindCounts:
    kind: str
    label: str  # message id
    by_channel: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


@dataclass(frozen=True)
class Turnaround:
    count: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class ServicingStatistics:
    start: date
    end: date  # inclusive
    kinds: tuple[KindCounts, ...]  # most requested first
    by_channel: dict[str, int]
    applied: int
    applied_self_service: int
    reviewed: Turnaround  # went through a queue
    straight_through: Turnaround

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())

    @property
    def self_service_percent(self) -> Decimal | None:
        if not self.applied:
            return None
        return (Decimal(100) * self.applied_self_service / self.applied).quantize(Decimal("0.1"))


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), BUSINESS_TZ)


def percentile(values: list[timedelta], share: float) -> timedelta | None:
    """Nearest rank: the smallest value with at least ``share`` of all values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _turnaround(values: list[timedelta]) -> Turnaround:
    return Turnaround(len(values), percentile(values, 0.5), percentile(values, 0.9))


def servicing_statistics(uow: "UnitOfWork", staff: Principal, start: date, end: date) -> ServicingStatistics:
    if not staff.is_staff or staff.role not in STATISTICS_ROLES:
        raise NotPermitted(N_("Servicing statistics are for servicing clerks and supervisors."))
    if end < start or (end - start).days >= MAX_DAYS:
        raise InvalidInput(N_("Choose a period of one day to one year, the start before the end."), field="start")
    created = ServiceRequest.created_at
    in_period = (created >= _instant(start), created < _instant(end + timedelta(days=1)))
    counts: dict[str, dict[str, int]] = {}
    for kind, channel, count in uow.session.execute(
        select(ServiceRequest.kind, ServiceRequest.channel, func.count()).where(*in_period)
        .group_by(ServiceRequest.kind, ServiceRequest.channel)
    ).all():
        counts.setdefault(kind, dict.fromkeys(CHANNELS, 0))[channel] = count
    kinds = sorted((KindCounts(kind, label_of(kind), by) for kind, by in counts.items()), key=lambda k: (-k.total, k.kind))
    by_channel = {channel: sum(k.by_channel.get(channel, 0) for k in kinds) for channel in CHANNELS}
    reviewed, straight, self_service = [], [], 0
    for channel, queue, submitted, applied in uow.session.execute(
        select(ServiceRequest.channel, ServiceRequest.review_queue, created, ServiceRequest.applied_at)
        .where(*in_period, ServiceRequest.status == "applied")
    ).all():
        (reviewed if queue else straight).append(applied - submitted)
        self_service += channel in SELF_SERVICE
    return ServicingStatistics(start, end, tuple(kinds), by_channel, len(reviewed) + len(straight), self_service,
                               _turnaround(reviewed), _turnaround(straight))
