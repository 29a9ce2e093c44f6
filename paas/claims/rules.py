"""What can be claimed on which product, the documents each claim needs, and what it pays."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from paas.errors import N_
from paas.money import to_fen
from paas.policies.terms import MATURED, PAID_UP
from paas.policies.valuation import PolicyValuation
from paas.products.pricing import Cover

CLAIM_KINDS = {
    "death": N_("Death"),
    "critical_illness": N_("Critical illness"),
    "hospitalisation": N_("Hospitalisation"),
    "disability": N_("Accidental total disability"),
    "maturity": N_("Maturity"),
}
# Which product categories cover each kind of claim.
COVERED_BY = {
    "death": ("term_life", "whole_life", "endowment", "unit_linked", "critical_illness"),
    "critical_illness": ("critical_illness",),
    "hospitalisation": ("critical_illness",),
    "disability": ("term_life",),
    "maturity": ("endowment",),
}
DOCUMENTS = {
    "id_card": N_("ID card of the claimant"),
    "death_certificate": N_("Death certificate"),
    "household_cancellation": N_("Certificate of household registration cancellation"),
    "relationship_proof": N_("Proof of relationship to the insured"),
    "diagnosis": N_("Diagnosis certificate from a grade-2 or higher hospital"),
    "pathology": N_("Pathology or examination report"),
    "discharge_summary": N_("Discharge summary"),
    "invoices": N_("Hospital invoices"),
    "disability_assessment": N_("Disability assessment"),
    "accident_report": N_("Accident report (police or employer)"),
    "bank_card": N_("Bank card of the payee"),
}
REQUIRED = {
    "death": ("death_certificate", "household_cancellation", "relationship_proof", "id_card"),
    "critical_illness": ("diagnosis", "pathology", "id_card"),
    "hospitalisation": ("discharge_summary", "invoices", "id_card"),
    "disability": ("disability_assessment", "accident_report", "id_card"),
    "maturity": ("id_card", "bank_card"),
}
# Hospital cash on the critical illness product: a share of the sum assured per day, capped.
HOSPITAL_CASH_SHARE = Decimal("0.001")
HOSPITAL_CASH_MAX_DAYS = 180


@dataclass(frozen=True)
class BenefitBreakdown:
    """How a claim's benefit is made up, line by line, as the claimant and the adjuster see it."""

    cover: Decimal  # the sum assured paid for this claim (reduced if paid up; fund value if higher)
    paid_up_additions: Decimal
    money_held: Decimal  # dividends and survival benefits left with us
    debt: Decimal  # policy loans with interest, deducted
    per_day: Decimal | None = None  # hospital cash: paid per day, for ``days`` days
    days: int = 0
    max_days: int = 0  # hospital cash: the most days it pays for

    @property
    def total(self) -> Decimal:
        if self.per_day is not None:
            return to_fen(self.per_day * self.days)
        return max(Decimal("0.00"), to_fen(self.cover + self.paid_up_additions + self.money_held - self.debt))


def benefit_breakdown(kind: str, cover: Cover, valuation: PolicyValuation, *, status: str, paid_up_additions: Decimal,
                      hospital_days: int = 0) -> BenefitBreakdown:
    """What the policy pays for this claim: the sum assured (the reduced one if paid up) with
    paid-up additions and money held for the policy, less any debt; never below zero."""
    zero = Decimal("0.00")
    if kind == "hospitalisation":
        return BenefitBreakdown(zero, zero, zero, zero, per_day=cover.sum_assured * HOSPITAL_CASH_SHARE,
                                days=min(hospital_days, HOSPITAL_CASH_MAX_DAYS), max_days=HOSPITAL_CASH_MAX_DAYS)
    sum_assured = valuation.paid_up_sum_assured if status == PAID_UP else cover.sum_assured
    if kind == "death" and cover.spec.unit_linked is not None:
        sum_assured = max(sum_assured, valuation.fund_value or Decimal(0))
    if kind == "maturity":
        # At expiry the cycle credits the maturity benefit to the money held for the policy;
        # before it has run, the benefit is still owed on top of what is held.
        survival = cover.spec.survival_benefits
        sum_assured = Decimal(0) if status == MATURED else survival.maturity_share * cover.sum_assured
    return BenefitBreakdown(to_fen(sum_assured), to_fen(paid_up_additions),
                            to_fen(valuation.dividends_held + valuation.survival_benefits_held), to_fen(valuation.debt))


def benefit(kind: str, cover: Cover, valuation: PolicyValuation, *, status: str, paid_up_additions: Decimal,
            hospital_days: int = 0) -> Decimal:
    return benefit_breakdown(kind, cover, valuation, status=status, paid_up_additions=paid_up_additions,
                             hospital_days=hospital_days).total
