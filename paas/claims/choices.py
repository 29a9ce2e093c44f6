"""What the claim report form offers for one policy: every kind of claim, the ones this policy
cannot take with the reason why, the documents each needs, and the payee accounts on file."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.claims.models import OPEN_STATUSES, Claim
from paas.claims.reporting import ALREADY_OPEN, POLICY_ENDED, statuses_for
from paas.claims.rules import CLAIM_KINDS, COVERED_BY, REQUIRED
from paas.errors import N_, NotPermitted
from paas.products.spec import ProductSpec
from paas.security.principal import Principal
from paas.servicing.context import context_for
from paas.servicing.payout import PayoutChoice, payout_choices

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

# Why a kind of claim is not offered on a product that does not cover it.
NOT_COVERED = {
    "death": N_("This policy does not pay a death benefit."),
    "critical_illness": N_("Only critical illness policies pay this benefit."),
    "hospitalisation": N_("Only critical illness policies pay a daily hospital benefit."),
    "disability": N_("Only term life policies pay this benefit."),
    "maturity": N_("Only endowment policies pay a maturity benefit."),
}


@dataclass(frozen=True)
class KindChoice:
    kind: str
    label: str  # message id
    documents: tuple[str, ...]  # codes of the documents it needs (labels in rules.DOCUMENTS)
    reason: str | None = None  # message id: why it is not offered; None when it is
    params: dict = field(default_factory=dict)

    @property
    def offered(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class ReportChoices:
    policy_number: str
    product: ProductSpec
    status: str
    issue_date: date
    today: date
    policyholder_name: str
    kinds: tuple[KindChoice, ...]
    payees: tuple[PayoutChoice, ...]

    @property
    def offered(self) -> tuple[KindChoice, ...]:
        return tuple(k for k in self.kinds if k.offered)


def report_choices(uow: "UnitOfWork", who: Principal, policy_number: str) -> ReportChoices:
    if who.is_staff:
        raise NotPermitted(N_("Claims are reported by the policyholder."))
    ctx = context_for(uow, who, policy_number, lock=False)
    open_claims = dict(uow.session.execute(select(Claim.kind, Claim.reference).where(
        Claim.policy_id == ctx.policy.id, Claim.status.in_(OPEN_STATUSES))).all())
    kinds = []
    for kind, label in CLAIM_KINDS.items():
        reason, params = None, {}
        if ctx.cover.spec.category not in COVERED_BY[kind]:
            reason = NOT_COVERED[kind]
        elif ctx.policy.status not in statuses_for(kind):
            reason = POLICY_ENDED
        elif kind in open_claims:
            reason, params = ALREADY_OPEN, {"reference": open_claims[kind]}
        kinds.append(KindChoice(kind, label, REQUIRED[kind], reason, params))
    return ReportChoices(ctx.policy.policy_number, ctx.cover.spec, ctx.policy.status, ctx.policy.issue_date, ctx.today,
                         ctx.customer.name, tuple(kinds), tuple(payout_choices(uow, ctx)))
