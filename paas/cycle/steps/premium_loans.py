"""Automatic premium loans (自动垫交), for the lapse step.

Rule: for a policy that elected automatic premium loan and whose grace period ended, each
overdue premium (due before the run date D, while premiums run), oldest first, is lent from
the policy's value when the cash value on D less the debt (loan with interest to D) covers the
modal premium and the debt after it stays within the product's loan share of the cash value
(``loan_maximum`` >= the premium). The open loan takes it, its interest so far capitalised
first; without one a new loan is opened at the product's loan rate, interest from D. The due
is credited with kind ``apl`` (``credit_premium``: once per due, paid-to date moved on).
Event ``automatic_premium_loan`` {amount, dues, loan_balance}. What the value cannot cover
stays unpaid, and the caller lapses the policy if its grace has still ended."""
from __future__ import annotations

from datetime import date

from paas.audit.chain import SYSTEM
from paas.billing.crediting import credit_premium
from paas.cycle.batch import Batch
from paas.loans.lending import lend
from paas.loans.models import PolicyLoan
from paas.policies.models import Policy
from paas.policies.terms import GRACE, IN_FORCE
from paas.policies.valuation import PolicyFacts, cover_of, value_policy
from paas.products.values import loan_maximum


def lend_premiums(batch: Batch, policy: Policy, loan: PolicyLoan | None, facts: PolicyFacts) -> list[date]:
    """Pay what the policy's value allows; returns the due dates paid."""
    uow, on = batch.uow, batch.run_date
    cover = cover_of(facts)
    valuation = value_policy(facts, on)
    cash, debt = valuation.cash_value, valuation.debt
    paid: list[date] = []
    while policy.paid_to_date < on and (policy.premium_end_date is None or policy.paid_to_date < policy.premium_end_date):
        premium, due = policy.modal_premium, policy.paid_to_date
        if cash - debt < premium or loan_maximum(cover, cash, debt) < premium:
            break
        loan = lend(uow, policy.id, loan, premium, cover.spec.loan_interest, on)
        credit_premium(uow, policy, due, premium, kind="apl", channel="loan",
                       reference=f"apl:{policy.id}:{due.isoformat()}", actor=SYSTEM)
        debt += premium
        paid.append(due)
    if not paid:
        return paid
    if policy.status == GRACE and policy.paid_to_date >= on:  # paid up to today: nothing is overdue
        policy.status, policy.status_date = IN_FORCE, on
    batch.pending.event(policy.id, "automatic_premium_loan", on, {
        "amount": str(policy.modal_premium * len(paid)), "dues": [due.isoformat() for due in paid],
        "loan_balance": str(loan.balance),
    })
    return paid
