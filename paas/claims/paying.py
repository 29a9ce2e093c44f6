"""Paying an approved claim once: the payout to the payee's account, money held for the
policy and its debt settled, and the policy's state following the claim."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.notices.events import raise_event
from paas.claims.models import Claim, ClaimEvent, ClaimPayment
from paas.loans.lending import repay
from paas.customers.models import BankAccount, Customer
from paas.customers.registry import masked_account_number
from paas.errors import N_
from paas.loans.models import PolicyLoan
from paas.policies.ledger import balance, credit
from paas.policies.models import Policy
from paas.policies.terms import MATURED, TERMINATED
from paas.security import alerts

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CLAIM_PAYMENT = N_("Claim payment")
# Claims that end the policy, and the status it ends in.
ENDS_POLICY = {"death": TERMINATED, "critical_illness": TERMINATED, "disability": TERMINATED, "maturity": MATURED}


def pay_and_close(uow: "UnitOfWork", claim: Claim) -> None:
    """Pay the approved claim now and mark it paid (at approval, or when its payee hold ends)."""
    pay(uow, claim)
    now = uow.clock.now()
    claim.status, claim.updated_at = "paid", now
    claim.timeline.append(ClaimEvent(status="paid", note=None, occurred_at=now))
    data = {"status": "paid", "amount": str(claim.approved_amount)}
    if claim.payout_hold_until is not None:
        data["after_hold"] = "yes"  # the approval was told when the hold began
    raise_event(uow, claim.policy_id, "claim_decision", uow.clock.today(), data, reference=claim.reference)


def pay(uow: "UnitOfWork", claim: Claim) -> bool:
    """Returns False if this claim was already paid (the unique payment row says so)."""
    if uow.session.scalar(select(ClaimPayment.id).where(ClaimPayment.claim_id == claim.id)):
        return False
    today = uow.clock.today()
    uow.session.add(ClaimPayment(claim_id=claim.id, amount=claim.approved_amount, bank_account_id=claim.payee_bank_account_id,
                                 paid_on=today, created_at=uow.clock.now()))
    policy = uow.session.execute(select(Policy).where(Policy.id == claim.policy_id).with_for_update()).scalar_one()
    if claim.kind in ENDS_POLICY:
        # The benefit already included money held and deducted debt: both are now settled.
        for account in ("dividends", "survival_benefits"):
            held = balance(uow, policy.id, account)
            if held > 0:
                credit(uow, policy.id, account, "withdrawal", -held, today, reference=f"claim:{claim.reference}:{account}")
        for loan in uow.session.scalars(select(PolicyLoan).where(PolicyLoan.policy_id == policy.id,
                                                                 PolicyLoan.status == "open")):
            repay(loan, today)
        policy.status, policy.status_date = ENDS_POLICY[claim.kind], today
        policy.version += 1
    raise_event(uow, policy.id, "payout", today,
                {"amount": str(claim.approved_amount), "claim": claim.reference}, reference=claim.reference)
    payee = uow.session.get(BankAccount, claim.payee_bank_account_id)
    alerts.alert(uow, uow.session.get(Customer, claim.customer_id), alerts.MONEY_MOVED, what=CLAIM_PAYMENT,
                 policy=policy.policy_number, account=f"{payee.bank_name} {masked_account_number(uow.keyring, payee)}")
    return True
