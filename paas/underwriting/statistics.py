"""New-business statistics: how many applications the rules decided alone (straight-through
rate), why the others were referred (reasons ranked), how long underwriters took, how many
accepted cases became policies (placement), and where underwriters departed from the rules'
outcome (overrides: a referred case accepted at standard rates, or on modified terms)."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from statistics import median
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.desk.teams import UNDERWRITERS, require_team
from paas.security.principal import Principal
from paas.underwriting.decisions import UNDERWRITERS_ONLY
from paas.underwriting.models import Application
from paas.underwriting.states import ACCEPTED, DRAFT, ISSUED

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class NewBusinessStatistics:
    submitted: int
    straight_through: int  # accepted by the rules alone
    referred: int
    declined_by_rules: int
    reasons: tuple[tuple[str, int], ...]  # rule code, applications it fired on; most first
    decided_by_underwriters: int
    median_turnaround: timedelta | None  # first submission to an underwriter's final decision
    accepted: int  # on any terms, the applicant agreeing
    issued: int
    decisions_on_referrals: tuple[tuple[str, int], ...]  # underwriter decision, count
    overrides: int  # referred by the rules, accepted at standard rates by an underwriter

    @property
    def straight_through_rate(self) -> float:
        return self.straight_through / self.submitted if self.submitted else 0.0

    @property
    def placement_rate(self) -> float:
        return self.issued / self.accepted if self.accepted else 0.0


def new_business_statistics(uow: "UnitOfWork", staff: Principal) -> NewBusinessStatistics:
    require_team(staff, UNDERWRITERS, UNDERWRITERS_ONLY)
    rows = uow.session.execute(select(
        Application.rule_outcome, Application.findings, Application.status, Application.decision,
        Application.first_submitted_at, Application.decided_at, Application.decided_by,
    ).where(Application.status != DRAFT, Application.rule_outcome.is_not(None))).all()
    reasons: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    turnarounds = []
    for outcome, findings, _status, decision, submitted_at, decided_at, decided_by in rows:
        if outcome != "accept":
            reasons.update({f["code"] for f in json.loads(findings)})
        if outcome == "refer" and decided_by is not None and decision:
            decisions[decision] += 1
            turnarounds.append(decided_at - submitted_at)
    return NewBusinessStatistics(
        submitted=len(rows),
        straight_through=sum(1 for r in rows if r.rule_outcome == "accept"),
        referred=sum(1 for r in rows if r.rule_outcome == "refer"),
        declined_by_rules=sum(1 for r in rows if r.rule_outcome == "decline"),
        reasons=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        decided_by_underwriters=sum(decisions.values()),
        median_turnaround=median(turnarounds) if turnarounds else None,
        accepted=sum(1 for r in rows if r.status in (ACCEPTED, ISSUED)),
        issued=sum(1 for r in rows if r.status == ISSUED),
        decisions_on_referrals=tuple(sorted(decisions.items(), key=lambda item: -item[1])),
        overrides=decisions.get("standard", 0),
    )
