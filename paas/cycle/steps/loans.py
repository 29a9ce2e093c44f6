"""Loan interest at an anniversary (保单贷款), for the anniversaries step: the interest accrued
since ``interest_to`` is capitalised (balance += interest, interest_to = D). Event
``loan_interest`` {interest, balance, cash_value}; and ``loan_near_limit`` {debt, cash_value, interest} when the
debt has reached NEAR_LIMIT of the cash value, the notice that warns before the debt
exceeds what the policy is worth."""
from __future__ import annotations

from decimal import Decimal

from paas.cycle.batch import Batch
from paas.loans.lending import capitalise
from paas.loans.models import PolicyLoan
from paas.policies.models import Policy
from paas.policies.valuation import PolicyFacts, value_policy

NEAR_LIMIT = Decimal("0.90")


def capitalise_interest(batch: Batch, policy: Policy, loan: PolicyLoan, facts: PolicyFacts) -> None:
    on = batch.run_date
    if loan.interest_to >= on:  # already capitalised (a rerun, or a loan taken today)
        return
    interest = capitalise(loan, on)
    cash_value = value_policy(facts, on).cash_value
    batch.pending.event(policy.id, "loan_interest", on,
                        {"interest": str(interest), "balance": str(loan.balance), "cash_value": str(cash_value)})
    if loan.balance >= NEAR_LIMIT * cash_value:
        batch.pending.event(policy.id, "loan_near_limit", on,
                            {"debt": str(loan.balance), "cash_value": str(cash_value), "interest": str(interest)})
