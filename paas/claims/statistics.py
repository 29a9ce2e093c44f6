"""Claims statistics for adjusters and supervisors, beside servicing's: claims reported over a
period by kind, how many were decided and how (the approval rate counts paid against declined;
withdrawn claims were never decided), the turnaround from report to decision, and the amounts paid."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.claims.authority import CLAIM_ROLES
from paas.claims.models import OPEN_STATUSES, Claim, ClaimEvent, ClaimPayment
from paas.claims.rules import CLAIM_KINDS
from paas.errors import N_, NotPermitted
from paas.security.principal import Principal
from paas.statistics.periods import Turnaround, check_period, period_bounds, turnaround

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

DECIDED = ("paid", "declined")


@dataclass(frozen=True)
class KindLine:
    kind: str
    label: str  # message id
    reported: int
    open: int
    paid: int
    declined: int
    withdrawn: int
    amount_paid: Decimal

    @property
    def approval_percent(self) -> Decimal | None:
        return _percent(self.paid, self.paid + self.declined)


@dataclass(frozen=True)
class ClaimStatistics:
    start: date
    end: date  # inclusive
    kinds: tuple[KindLine, ...]  # most reported first
    turnaround: Turnaround  # report to decision (paid or declined)
    largest_paid: Decimal | None

    @property
    def reported(self) -> int:
        return sum(k.reported for k in self.kinds)

    @property
    def paid(self) -> int:
        return sum(k.paid for k in self.kinds)

    @property
    def declined(self) -> int:
        return sum(k.declined for k in self.kinds)

    @property
    def open(self) -> int:
        return sum(k.open for k in self.kinds)

    @property
    def amount_paid(self) -> Decimal:
        return sum((k.amount_paid for k in self.kinds), Decimal("0.00"))

    @property
    def approval_percent(self) -> Decimal | None:
        return _percent(self.paid, self.paid + self.declined)

    @property
    def average_paid(self) -> Decimal | None:
        return (self.amount_paid / self.paid).quantize(Decimal("0.01")) if self.paid else None


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def claim_statistics(uow: "UnitOfWork", staff: Principal, start: date, end: date) -> ClaimStatistics:
    """Claims reported in the period, followed to where they stand now."""
    if not staff.is_staff or staff.role not in CLAIM_ROLES:
        raise NotPermitted(N_("Claims statistics are for claims adjusters and supervisors."))
    check_period(start, end)
    since, until = period_bounds(start, end)
    in_period = (Claim.created_at >= since, Claim.created_at < until)
    counts: dict[str, dict[str, int]] = {}
    for kind, status, count in uow.session.execute(
        select(Claim.kind, Claim.status, func.count()).where(*in_period).group_by(Claim.kind, Claim.status)
    ).all():
        counts.setdefault(kind, {})[status] = count
    paid_by_kind = dict(uow.session.execute(
        select(Claim.kind, func.sum(ClaimPayment.amount)).join(ClaimPayment, ClaimPayment.claim_id == Claim.id)
        .where(*in_period).group_by(Claim.kind)
    ).all())
    largest = uow.session.scalar(
        select(func.max(ClaimPayment.amount)).join(Claim, ClaimPayment.claim_id == Claim.id).where(*in_period))
    kinds = sorted(
        (KindLine(kind, CLAIM_KINDS[kind], sum(by.values()), sum(by.get(s, 0) for s in OPEN_STATUSES),
                  by.get("paid", 0), by.get("declined", 0), by.get("withdrawn", 0),
                  Decimal(paid_by_kind.get(kind) or 0).quantize(Decimal("0.01")))
         for kind, by in counts.items()),
        key=lambda line: (-line.reported, line.kind))
    # When each decided claim was decided: its timeline's paid or declined entry.
    decided_at = select(ClaimEvent.claim_id, func.min(ClaimEvent.occurred_at).label("at")).where(
        ClaimEvent.status.in_(DECIDED)).group_by(ClaimEvent.claim_id).subquery()
    spans = [at - reported for reported, at in uow.session.execute(
        select(Claim.created_at, decided_at.c.at).join(decided_at, decided_at.c.claim_id == Claim.id).where(*in_period)
    ).all()]
    return ClaimStatistics(start, end, tuple(kinds), turnaround(spans), largest)
