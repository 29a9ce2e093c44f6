"""Survival benefits (生存金) at an anniversary, for the anniversaries step: a year's interest
on the benefits left with the insurer, then the benefit the product pays on this anniversary,
if any, credited to the survival_benefits ledger to accumulate at interest (reference
``survival:<policy>:<date>``, so it is credited once). Event ``survival_benefit`` {amount,
policy_year}. Entries and events are written with the batch (``Batch.pending``)."""
from __future__ import annotations

from decimal import Decimal

from paas.cycle.batch import Batch
from paas.policies.models import Policy
from paas.products.pricing import Cover
from paas.products.values import survival_benefit_schedule


def credit_survival(batch: Batch, policy: Policy, cover: Cover, year: int,
                    held: dict[tuple[int, str], Decimal]) -> None:
    on, pending = batch.run_date, batch.pending
    held_benefits = held.get((policy.id, "survival_benefits"), 0)
    if held_benefits > 0:  # a year's interest on what was held before today, as credit_interest works it out
        pending.entry(policy.id, "survival_benefits", "interest",
                      held_benefits * cover.spec.survival_benefits.accumulation_interest, on,
                      f"survival-interest:{policy.id}:{year}")
    for benefit in survival_benefit_schedule(cover, policy.issue_date):
        if benefit.kind == "survival" and benefit.due_on == on:
            pending.entry(policy.id, "survival_benefits", "credit", benefit.amount, on,
                          f"survival:{policy.id}:{on.isoformat()}")
            pending.event(policy.id, "survival_benefit", on, {"amount": str(benefit.amount), "policy_year": str(year)})
