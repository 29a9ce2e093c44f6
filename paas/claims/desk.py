"""The adjuster's page of one claim: the claim as the claimant told it, the policy behind it,
the benefit computed from the policy today, the payee account (masked), and where the
four-eyes rule stands: who approved, and what level the second approver must have."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.claims.adjusting import load_for_staff
from paas.claims.authority import limit_of
from paas.desk import authority
from paas.desk.teams import CLAIMS
from paas.claims.models import Claim
from paas.claims.rules import HOSPITAL_CASH_MAX_DAYS, HOSPITAL_CASH_SHARE, benefit
from paas.claims.payee import payee_label
from paas.claims.views import ClaimView, claim_for_staff
from paas.customers.models import Customer
from paas.products.spec import ProductSpec
from paas.security.models import Account
from paas.security.principal import Principal
from paas.servicing.context import load_context

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

DECIDABLE = ("reported", "under_review", "awaiting_second_approval")


@dataclass(frozen=True)
class PolicyBehind:
    policy_number: str
    product: ProductSpec
    status: str
    issue_date: date
    sum_assured: Decimal
    paid_up_additions: Decimal
    money_held: Decimal  # dividends and survival benefits left with us
    debt: Decimal
    owner_name: str
    owner_number: str
    insured_name: str  # whose life or health the claim is about; often not the owner
    insured_number: str


@dataclass(frozen=True)
class ApprovalLine:
    approver: str
    level: int
    amount: Decimal
    approved_at: datetime


@dataclass(frozen=True)
class ClaimDesk:
    claim: ClaimView
    policy: PolicyBehind
    benefit: Decimal  # computed today (for hospitalisation: for ``hospital_days``)
    hospital_days: int
    per_day: Decimal | None  # hospitalisation only
    max_days: int
    payee: str  # bank and masked number
    approvals: tuple[ApprovalLine, ...]
    my_limit: Decimal
    second_level: int | None  # awaiting a second approval: the lowest level that may give it
    may_second: bool

    @property
    def is_open(self) -> bool:
        return self.claim.status in DECIDABLE

    @property
    def awaiting_second(self) -> bool:
        return self.claim.status == "awaiting_second_approval"


def claim_desk(uow: "UnitOfWork", staff: Principal, reference: str, *, hospital_days: int = 0) -> ClaimDesk:
    view = claim_for_staff(uow, staff, reference)  # checks the role; audited
    claim = load_for_staff(uow, staff, reference, lock=False)
    ctx = load_context(uow, claim.policy_id, lock=False)
    days = max(0, min(hospital_days, HOSPITAL_CASH_MAX_DAYS))
    computed = benefit(claim.kind, ctx.cover, ctx.valuation, status=ctx.policy.status,
                       paid_up_additions=ctx.policy.paid_up_additions, hospital_days=days)
    valuation = ctx.valuation
    insured = ctx.customer if ctx.policy.insured_id == ctx.customer.id else uow.session.get(Customer, ctx.policy.insured_id)
    policy = PolicyBehind(ctx.policy.policy_number, ctx.cover.spec, ctx.policy.status, ctx.policy.issue_date,
                          ctx.policy.sum_assured, ctx.policy.paid_up_additions,
                          valuation.dividends_held + valuation.survival_benefits_held, valuation.debt,
                          ctx.customer.name, ctx.customer.customer_number, insured.name, insured.customer_number)
    hospital = claim.kind == "hospitalisation"
    approvals = _approvals(uow, claim)
    second = second_level(claim, approvals) if claim.status == "awaiting_second_approval" else None
    may_second = (second is not None and staff.authority_level >= second
                  and all(a.approver_id != staff.account_id for a in claim.approvals))
    return ClaimDesk(view, policy, computed, days, ctx.cover.sum_assured * HOSPITAL_CASH_SHARE if hospital else None,
                     HOSPITAL_CASH_MAX_DAYS, payee_label(uow, claim), tuple(approvals), limit_of(staff), second, may_second)


def second_level(claim: Claim, approvals: list[ApprovalLine]) -> int | None:
    """Higher than the first approver's level, with a limit that covers the amount; None if
    no level's limit does (then nobody can approve it as it stands)."""
    return authority.second_level(CLAIMS, approvals[0].level, claim.approved_amount)


def _approvals(uow: "UnitOfWork", claim: Claim) -> list[ApprovalLine]:
    names = dict(uow.session.execute(select(Account.id, Account.display_name).where(
        Account.id.in_([a.approver_id for a in claim.approvals]))).all()) if claim.approvals else {}
    return [ApprovalLine(names.get(a.approver_id, "?"), a.authority_level, a.amount, a.approved_at) for a in claim.approvals]


