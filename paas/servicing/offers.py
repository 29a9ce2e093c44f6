"""What can be done to a policy now, and why the rest cannot: every registered transaction
with its availability, judged by the engine's own checks (eligibility, then an open request
of a conflicting kind). Also a preview that checks what was typed without keeping anything.
Front ends build their forms from ``Offer.transaction.fields``, so a new kind needs no page."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, not_, select

from iaas.database import DirectStatement

from paas.errors import NotFound, NotPermitted
from paas.funds.allocation import chosen_allocation
from paas.policies.models import Policy
from paas.products.spec import Fund
from paas.security import tiers
from paas.security.principal import Principal
from paas.servicing.base import NONE, TOTP, PolicyContext, Transaction
from paas.servicing.binds import one_of
from paas.servicing.context import context_for, find_policy_id
# The engine's own checks, so the services page and the engine can never disagree.
from paas.servicing import expiry
from paas.servicing.engine import CONFLICT, OPEN, _check_available, _check_conflicts, why_not
from paas.servicing.models import ServiceRequest
from paas.servicing.payout import PayoutChoice, payout_choices
from paas.servicing.registry import UNKNOWN_SERVICE, all_transactions

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Offer:
    transaction: Transaction
    available: bool
    reason: str | None = None  # message id
    reason_params: dict = field(default_factory=dict)
    guide: dict = field(default_factory=dict)  # Transaction.field_guide, when available
    on_file: dict = field(default_factory=dict)  # Transaction.on_file, when available

    @property
    def kind(self) -> str:
        return self.transaction.kind


@dataclass(frozen=True)
class CurrentBeneficiary:
    name: str
    relationship: str
    rank: int
    share: str


@dataclass(frozen=True)
class PolicyOffers:
    policy_number: str
    customer_id: int  # the owner's: documents uploaded for a request are theirs
    status: str
    offers: tuple[Offer, ...]
    payout_choices: tuple[PayoutChoice, ...] = ()
    beneficiaries: tuple[CurrentBeneficiary, ...] = ()
    funds: tuple[Fund, ...] = ()  # choices of "fund" fields, rows of "fund_allocation" ones
    allocation: dict[str, int] = field(default_factory=dict)  # future premiums' split now

    def offer(self, kind: str) -> Offer:
        service(kind)  # an unknown kind is not found
        return next(o for o in self.offers if o.kind == kind)


@dataclass(frozen=True)
class Preview:
    kind: str
    lines: tuple[dict, ...]  # PreviewLine.as_json()
    step_up: str  # none / sms / totp
    review_queue: str | None


def service(kind: str) -> Transaction:
    """The transaction of this kind; an unknown kind is a page that does not exist."""
    found = next((t for t in all_transactions() if t.kind == kind), None)
    if found is None:
        raise NotFound(UNKNOWN_SERVICE, kind=(kind or "")[:32])
    return found


def policy_owner(uow: "UnitOfWork", who: Principal, policy_number: str) -> int:
    """The customer a request on this policy is for (documents uploaded with it are theirs)."""
    return uow.session.scalar(select(Policy.owner_id).where(Policy.id == find_policy_id(uow, who, policy_number)))


def policy_offers(uow: "UnitOfWork", who: Principal, policy_number: str, *, only: str | None = None) -> PolicyOffers:
    """Read-only: the policy is not locked, so the answer may be a moment old; submitting
    runs the same checks again under the lock. ``only``: one kind, for its form page - that
    kind's offer alone, and of the policy's details only those its fields show (bank
    accounts, funds, beneficiaries, the fund split): an address form needs no valuation."""
    ctx = context_for(uow, who, policy_number, lock=False)  # first: a policy not theirs is not found, whatever the kind
    transactions = all_transactions() if only is None else (service(only),)
    shown = {f.kind for txn in transactions for f in txn.fields} if only is not None else None
    open_requests = _OPEN_REQUESTS.in_session(uow.session, {
        "policy_id": ctx.policy.id, "stale_cutoff": uow.clock.now() - expiry.REQUEST_LIFETIME})
    # The engine's own tier check (paas.security.tiers), asked only when a kind shown pays out.
    locked = tiers.payout_lock(uow, who) if any(txn.pays_out for txn in transactions) else None
    offers = tuple(_offer(txn, ctx, open_requests, locked) for txn in transactions)

    def needed(*kinds: str) -> bool:
        return shown is None or not shown.isdisjoint(kinds)

    unit_linked = ctx.cover.spec.unit_linked if needed("fund", "fund_allocation") else None
    return PolicyOffers(
        ctx.policy.policy_number, ctx.customer.id, ctx.policy.status, offers,
        tuple(payout_choices(uow, ctx)) if needed("bank_account") else (),
        _beneficiaries(ctx) if needed("beneficiaries") else (),
        tuple(unit_linked.funds) if unit_linked else (),
        chosen_allocation(ctx.policy.fund_allocation) if needed("fund_allocation") else {},
    )


# The policy's open requests; a stale one is left out (ended on its next touch: it blocks nothing).
# Prebuilt: every services page and form asks it (built anew, it cost a fifth of a form page).
_OPEN_REQUESTS = DirectStatement(
    select(ServiceRequest.reference, ServiceRequest.conflict_groups)
    .where(ServiceRequest.policy_id == bindparam("policy_id"), one_of(ServiceRequest.status, OPEN),
           not_(expiry.stale_if_made_by(bindparam("stale_cutoff", type_=ServiceRequest.created_at.type)))))


def _offer(txn: Transaction, ctx: PolicyContext, open_requests, payout_lock: str | None = None) -> Offer:
    refused = why_not(txn, ctx)
    if refused is not None:
        return Offer(txn, False, refused[0], refused[1])
    if payout_lock is not None and txn.pays_out:
        return Offer(txn, False, payout_lock)
    for reference, groups in open_requests:
        if txn.groups & set(groups.split(",")):
            return Offer(txn, False, CONFLICT, {"reference": reference})
    return Offer(txn, True, guide=txn.field_guide(ctx), on_file=txn.on_file(ctx))


def _beneficiaries(ctx: PolicyContext) -> tuple[CurrentBeneficiary, ...]:
    return tuple(CurrentBeneficiary(b.name, b.relationship_to_insured, b.rank, f"{b.share.normalize():f}")
                 for b in ctx.policy.beneficiaries)


def preview(uow: "UnitOfWork", who: Principal, policy_number: str, kind: str, raw: dict[str, Any]) -> Preview:
    """Everything ``engine.start`` checks, under the policy's lock, and the preview it would
    show; nothing is written, so the caller's transaction has nothing to commit."""
    txn = service(kind)
    ctx = context_for(uow, who, policy_number)
    _check_available(txn, ctx)
    locked = tiers.payout_lock(uow, who) if txn.pays_out else None  # as the engine's start (nothing audited here)
    if locked is not None:
        raise NotPermitted(locked)
    _check_conflicts(uow, txn, ctx)
    inputs = txn.check(uow, ctx, {f.name: raw[f.name] for f in txn.fields if f.name in raw})
    method = txn.required_step_up(ctx, inputs)
    if who.is_staff and method != NONE:
        method = TOTP  # as in the engine: a clerk confirms with their own authenticator
    lines = tuple(line.as_json() for line in txn.preview(ctx, inputs))
    return Preview(kind, lines, method, txn.route(ctx, inputs))
