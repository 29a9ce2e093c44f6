"""Servicing statistics for supervisors and clerks: requests by type and channel over a
period, the share applied without staff (web, app, SMS), and the turnaround from submission
to applied, separately for requests a colleague reviewed and those that went straight through."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.errors import N_, NotPermitted
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR
from paas.servicing.history import label_of
from paas.servicing.models import ServiceRequest
from paas.statistics.periods import Turnaround, check_period, period_bounds, turnaround

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CHANNELS = ("web", "api", "sms", "console")
SELF_SERVICE = ("web", "api", "sms")
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


def servicing_statistics(uow: "UnitOfWork", staff: Principal, start: date, end: date) -> ServicingStatistics:
    if not staff.is_staff or staff.role not in STATISTICS_ROLES:
        raise NotPermitted(N_("Servicing statistics are for servicing clerks and supervisors."))
    check_period(start, end)
    created = ServiceRequest.created_at
    since, until = period_bounds(start, end)
    in_period = (created >= since, created < until)
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
                               turnaround(reviewed), turnaround(straight))
