"""A claim's payment to a new payee waits, by the servicing rule (``payee_hold.account_hold_until``:
an account added less than the hold ago and never verified). A claim can be reported with a
brand-new account, so a password alone must not be enough to have a benefit paid there at
once. The claim is approved as decided; nothing is paid, and the policy does not change,
until ``payout_hold_until``. The claimant sees the date on the claim page and is told on the
contacts they had (call us to stop it); clerks see it with the held servicing payouts, and the
same ``portal servicing release-held`` pays it when its time has come."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.claims.models import Claim, ClaimEvent
from paas.claims.payee import payee_label
from paas.claims.paying import pay_and_close
from paas.customers.models import BankAccount, Customer
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.policies.models import Policy
from paas.security import alerts, freeze
from paas.security.principal import Principal
from paas.servicing.payee_hold import HOLD_DESK_ROLES, ONLY_CLERKS, RELEASER, account_hold_until

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NOT_HELD = N_("Claim %(reference)s has no payment waiting.")
STOP_NOTE = N_("Say why the claim payment is stopped (for example: the claimant called), at least 5 characters.")

@dataclass(frozen=True)
class HeldClaimPayout:
    reference: str
    policy_number: str
    amount: Decimal
    approved_at: datetime
    hold_until: datetime


def hold(uow: "UnitOfWork", claim: Claim) -> datetime | None:
    """Hold the approved claim's payment if its payee is new; returns until when (None: pay now)."""
    until = account_hold_until(uow, uow.session.get(BankAccount, claim.payee_bank_account_id))
    if until is None:
        return None
    claim.payout_hold_until = until
    chain.record(uow, RELEASER.actor, "claim.payout_held", subject=f"claim:{claim.reference}",
                 detail={"until": until.isoformat(), "amount": str(claim.approved_amount)})
    policy_number = uow.session.scalar(select(Policy.policy_number).where(Policy.id == claim.policy_id))
    alerts.alert(uow, uow.session.get(Customer, claim.customer_id), alerts.CLAIM_PAYOUT_HELD, claim=claim.reference,
                 policy=policy_number, account=payee_label(uow, claim), until=until,
                 amount=claim.approved_amount)
    return until


def held_claim_payouts(uow: "UnitOfWork", *, limit: int = 200) -> list[HeldClaimPayout]:
    """Approved claims whose payment waits, the soonest to go first (the console's held payouts)."""
    rows = uow.session.execute(
        select(Claim, Policy.policy_number).join(Policy, Policy.id == Claim.policy_id)
        .where(Claim.status == "approved", Claim.payout_hold_until.is_not(None))
        .order_by(Claim.payout_hold_until, Claim.id).limit(limit)).all()
    return [HeldClaimPayout(claim.reference, number, claim.approved_amount, claim.updated_at, claim.payout_hold_until)
            for claim, number in rows]


def stop_by_clerk(uow: "UnitOfWork", staff: Principal, reference: str, note: str) -> Claim:
    """The claimant called (it was not them, or the account is wrong): nothing is paid, and the
    claim goes back to its adjusters, under review, with the clerk's note on its timeline."""
    if staff.role not in HOLD_DESK_ROLES:
        raise NotPermitted(ONLY_CLERKS)
    note = " ".join((note or "").split())[:300]
    if len(note) < 5:
        raise InvalidInput(STOP_NOTE, field="note")
    reference = (reference or "")[:16]
    claim = uow.session.execute(select(Claim).where(Claim.reference == reference).with_for_update()).scalar_one_or_none()
    if claim is None or claim.status != "approved" or claim.payout_hold_until is None:
        raise NotFound(NOT_HELD, reference=reference)
    now = uow.clock.now()
    claim.status, claim.payout_hold_until, claim.updated_at = "under_review", None, now
    claim.timeline.append(ClaimEvent(status="under_review", note=note, occurred_at=now))
    chain.record(uow, staff.actor, "claim.payout_stopped", subject=f"claim:{claim.reference}", detail={"note": note})
    return claim


def release_due(platform) -> int:
    """Pay each held claim whose time has come, one transaction each; returns how many. One of a
    claimant who froze money movements since stays held, as a servicing payout does."""
    with platform.unit_of_work() as uow:
        due = uow.session.scalars(select(Claim.reference).where(
            Claim.status == "approved", Claim.payout_hold_until <= uow.clock.now())).all()
    paid = 0
    for reference in due:
        with platform.unit_of_work() as uow:
            claim = uow.session.execute(select(Claim).where(Claim.reference == reference).with_for_update()
                                        .execution_options(populate_existing=True)).scalar_one()
            if claim.status != "approved" or claim.payout_hold_until is None:
                continue  # paid or stopped meanwhile
            if freeze.is_frozen(uow.session.get(Customer, claim.customer_id)):
                continue  # the claimant froze money movements since (they called us): it waits for a clerk
            claim.payout_hold_until = None
            pay_and_close(uow, claim)
            chain.record(uow, RELEASER.actor, "claim.payout_released", subject=f"claim:{claim.reference}",
                         detail={"amount": str(claim.approved_amount)})
            uow.commit()
            paid += 1
    return paid
