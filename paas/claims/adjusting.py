"""Adjusters' work on a claim: take it up, ask for more documents, approve an amount within
their authority (a second, higher approver above it), or decline with a reason. Every step
locks the claim row first, so two adjusters (or a double click) cannot both act on it."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.notices.events import raise_event
from paas.claims import payout_hold
from paas.claims.authority import CLAIM_ROLES, CONFIRM_PAYOUT_FROM, limit_of
from paas.claims.models import Claim, ClaimApproval, ClaimEvent
from paas.claims.payee import payee_label
from paas.claims.paying import pay_and_close
from paas.claims.reporting import missing_documents
from paas.claims.rules import benefit
from paas.desk import four_eyes
from paas.desk.teams import CLAIMS
from paas.errors import N_, DomainError, InvalidInput, NotFound, NotPermitted
from paas.money import parse_amount
from paas.security.principal import Principal
from paas.servicing.context import load_context

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

ADJUSTERS_ONLY = N_("Only claims adjusters decide claims.")
NOT_OPEN = N_("Claim %(reference)s is not waiting for this.")
OVER_BENEFIT = N_("The amount cannot be more than the policy's benefit of %(benefit)s yuan.")
SECOND_APPROVER = four_eyes.SECOND_APPROVER
CONFIRM_PAYOUT = N_("Check the amount and the account once more: %(amount)s yuan will be paid to %(payee)s.")


class PayoutToConfirm(DomainError):
    """The approval would pay a large amount at once: nothing was done; the approver is shown
    the amount and the payee and confirms them by sending the same amount back."""

    status = 409
    code = "confirm_payout"

    def __init__(self, amount: Decimal, payee: str) -> None:
        super().__init__(CONFIRM_PAYOUT, amount=f"{amount:,.2f}", payee=payee)
        self.amount, self.payee = amount, payee


def load_for_staff(uow: "UnitOfWork", staff: Principal, reference: str, *, lock: bool = True) -> Claim:
    if not staff.is_staff or staff.role not in CLAIM_ROLES:
        raise NotPermitted(ADJUSTERS_ONLY)
    query = select(Claim).where(Claim.reference == (reference or "")[:16])
    claim = uow.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if claim is None:
        raise NotFound(N_("No claim %(reference)s."), reference=(reference or "")[:16])
    return claim


def computed_benefit(uow: "UnitOfWork", claim: Claim, *, hospital_days: int = 0) -> Decimal:
    ctx = load_context(uow, claim.policy_id)
    return benefit(claim.kind, ctx.cover, ctx.valuation, status=ctx.policy.status,
                   paid_up_additions=ctx.policy.paid_up_additions, hospital_days=hospital_days)


def request_documents(uow: "UnitOfWork", staff: Principal, reference: str, note: str) -> Claim:
    claim = load_for_staff(uow, staff, reference)
    _open(claim, ("reported", "under_review"))
    _move(uow, claim, "under_review", note or None)
    policy_date = uow.clock.today()
    raise_event(uow, claim.policy_id, "claim_documents_requested", policy_date,
                {"missing": missing_documents(uow, claim), "note": note}, reference=claim.reference)
    chain.record(uow, staff.actor, "claim.documents_requested", subject=f"claim:{claim.reference}", detail={"note": note})
    return claim


def approve(uow: "UnitOfWork", staff: Principal, reference: str, *, amount: str | None = None,
            hospital_days: int = 0, note: str = "", confirmed_amount: str | None = None) -> Claim:
    """``confirmed_amount``: the amount the approver confirmed having seen with the payee, for
    a payout of ``CONFIRM_PAYOUT_FROM`` or more (else PayoutToConfirm is raised, nothing done)."""
    claim = load_for_staff(uow, staff, reference)
    _open(claim, ("reported", "under_review", "awaiting_second_approval"))
    if claim.status == "awaiting_second_approval":
        return _second_approval(uow, staff, claim, confirmed_amount)
    if missing_documents(uow, claim):
        raise InvalidInput(N_("Some required documents are still missing; ask the claimant for them first."))
    if claim.kind == "hospitalisation" and not 1 <= hospital_days <= 366:
        raise InvalidInput(N_("Give the number of days in hospital (1 to 366)."), field="hospital_days")
    full = computed_benefit(uow, claim, hospital_days=hospital_days)
    approved = parse_amount(amount, field="amount") if amount else full
    if approved <= 0:  # a benefit of nothing would be "paid" and the claim closed: that is a decline
        raise InvalidInput(N_("This claim pays nothing; decline it with a reason instead."), field="amount")
    if approved > full:
        raise InvalidInput(OVER_BENEFIT, field="amount", benefit=f"{full:,.2f}")
    if approved < full and len((note or "").strip()) < 5:
        raise InvalidInput(N_("Say why less than the full benefit is paid."), field="note")
    if approved <= limit_of(staff):
        _check_confirmed(uow, claim, approved, confirmed_amount)
    claim.benefit, claim.approved_amount = full, approved
    claim.decision_reason = (note or "").strip()[:300] or None
    uow.session.add(ClaimApproval(claim_id=claim.id, approver_id=staff.account_id, authority_level=staff.authority_level,
                                  amount=approved, approved_at=uow.clock.now()))
    chain.record(uow, staff.actor, "claim.approved", subject=f"claim:{claim.reference}",
                 detail={"amount": str(approved), "level": staff.authority_level})
    if approved > limit_of(staff):
        _move(uow, claim, "awaiting_second_approval", None)
        return claim
    return _settle(uow, claim)


def decline(uow: "UnitOfWork", staff: Principal, reference: str, reason: str) -> Claim:
    claim = load_for_staff(uow, staff, reference)
    _open(claim, ("reported", "under_review", "awaiting_second_approval"))
    reason = " ".join((reason or "").split())
    if not 10 <= len(reason) <= 300:
        raise InvalidInput(N_("Explain the decision to the claimant in 10 to 300 characters."), field="reason")
    claim.decision_reason = reason
    _move(uow, claim, "declined", reason)
    raise_event(uow, claim.policy_id, "claim_decision", uow.clock.today(), {"status": "declined", "reason": reason},
                reference=claim.reference)
    chain.record(uow, staff.actor, "claim.declined", subject=f"claim:{claim.reference}", detail={"reason": reason})
    return claim


def _check_confirmed(uow: "UnitOfWork", claim: Claim, amount: Decimal, confirmed: str | None) -> None:
    """A large payout goes only when the approver sent back exactly the amount shown with the payee."""
    if amount < CONFIRM_PAYOUT_FROM:
        return
    try:
        matches = confirmed is not None and parse_amount(confirmed, field="confirmed_amount") == amount
    except InvalidInput:
        matches = False
    if not matches:
        raise PayoutToConfirm(amount, payee_label(uow, claim))


def _second_approval(uow: "UnitOfWork", staff: Principal, claim: Claim, confirmed_amount: str | None) -> Claim:
    first = claim.approvals[0]
    four_eyes.check_second(staff, CLAIMS, first.approver_id, first.authority_level, claim.approved_amount)
    _check_confirmed(uow, claim, claim.approved_amount, confirmed_amount)
    uow.session.add(ClaimApproval(claim_id=claim.id, approver_id=staff.account_id, authority_level=staff.authority_level,
                                  amount=claim.approved_amount, approved_at=uow.clock.now()))
    chain.record(uow, staff.actor, "claim.second_approval", subject=f"claim:{claim.reference}",
                 detail={"amount": str(claim.approved_amount)})
    return _settle(uow, claim)


def _settle(uow: "UnitOfWork", claim: Claim) -> Claim:
    _move(uow, claim, "approved", claim.decision_reason)
    until = payout_hold.hold(uow, claim)  # a new payee: approved now, paid when the hold ends
    if until is None:
        pay_and_close(uow, claim)
    else:
        raise_event(uow, claim.policy_id, "claim_decision", uow.clock.today(),
                    {"status": "approved", "amount": str(claim.approved_amount), "hold_until": until.isoformat()},
                    reference=claim.reference)
    return claim


def _open(claim: Claim, allowed: tuple[str, ...]) -> None:
    if claim.status not in allowed:
        raise InvalidInput(NOT_OPEN, reference=claim.reference)


def _move(uow: "UnitOfWork", claim: Claim, status: str, note: str | None) -> None:
    now = uow.clock.now()
    claim.status, claim.updated_at = status, now
    claim.timeline.append(ClaimEvent(status=status, note=note, occurred_at=now))
