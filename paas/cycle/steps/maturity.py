"""An endowment's maturity (满期给付), for the maturities step.

The maturity benefit (the product's maturity share of the sum assured in force) is credited
to the survival_benefits ledger on the expiry date (reference ``maturity:<policy>``), for the
payment to follow. From it are settled, each by its own ledger withdrawal: premiums still
unpaid (a policy in grace: each due credited with kind ``maturity``), then the loan with its
interest to the expiry date (the loan is repaid as far as the benefit reaches). Status
``matured``, status_date = expiry_date, version + 1; event ``maturity`` {amount, arrears,
loan_repaid, expiry_date}."""
from __future__ import annotations

from decimal import Decimal

from paas.audit.chain import SYSTEM
from paas.billing.crediting import credit_premium
from paas.cycle.batch import Batch
from paas.cycle.valued import cover_in_force
from paas.loans.lending import repay
from paas.loans.models import PolicyLoan
from paas.policies.models import Policy
from paas.policies.terms import MATURED, PREMIUM_STATUSES
from paas.policies.valuation import PolicyFacts
from paas.products.values import survival_benefit_schedule

ZERO = Decimal("0.00")


def mature(batch: Batch, policy: Policy, loan: PolicyLoan | None, facts: PolicyFacts) -> None:
    on = policy.expiry_date
    cover = cover_in_force(policy, facts)
    amount = next(b.amount for b in survival_benefit_schedule(cover, policy.issue_date) if b.kind == "maturity")
    batch.pending.entry(policy.id, "survival_benefits", "credit", amount, on, f"maturity:{policy.id}")
    arrears = _settle_arrears(batch, policy)
    repaid = _settle_loan(batch, policy, loan, amount - arrears)
    policy.status, policy.status_date, policy.version = MATURED, on, policy.version + 1
    batch.pending.event(policy.id, "maturity", batch.run_date, {
        "amount": str(amount), "arrears": str(arrears), "loan_repaid": str(repaid), "expiry_date": on.isoformat(),
    })


def _settle_arrears(batch: Batch, policy: Policy) -> Decimal:
    """Premiums due before the expiry date and still unpaid, paid from the benefit."""
    uow, total = batch.uow, ZERO
    last = min(policy.expiry_date, policy.premium_end_date or policy.expiry_date)
    while policy.status in PREMIUM_STATUSES and policy.paid_to_date < last:
        due = policy.paid_to_date
        credit_premium(uow, policy, due, policy.modal_premium, kind="maturity", channel="benefit",
                       reference=f"maturity:{policy.id}", actor=SYSTEM)
        total += policy.modal_premium
    if total:
        batch.pending.entry(policy.id, "survival_benefits", "withdrawal", -total, policy.expiry_date,
                            f"maturity-arrears:{policy.id}")
    return total


def _settle_loan(batch: Batch, policy: Policy, loan: PolicyLoan | None, available: Decimal) -> Decimal:
    if loan is None:
        return ZERO
    repaid = repay(loan, policy.expiry_date, max(available, ZERO)).amount  # as far as the benefit reaches
    if repaid:
        batch.pending.entry(policy.id, "survival_benefits", "withdrawal", -repaid, policy.expiry_date,
                            f"maturity-loan:{policy.id}")
    return repaid
