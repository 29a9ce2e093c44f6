"""Step 6 - policy anniversaries (保单周年日).

Rule, for run date D: D is an anniversary of the policy - add_months(issue_date, 12 y) = D
for some y >= 1, so a policy issued on 29 February has its anniversaries on 28 February in
common years - and
  * it is participating and in force, in grace or paid up: interest on the dividends left to
    accumulate, then the dividend of policy year y declared by its option (dividends.py);
  * it is an endowment in force, in grace or paid up: interest on the survival benefits held,
    and the survival benefit due on D credited (benefits.py);
  * it has an open loan (whatever its status): interest capitalised to D (loans.py).
A policy in grace still counts as in force: its grace period includes the anniversary, which
is why anniversaries run before lapses.

Selected set-based (issue_date IN the issue dates with an anniversary on D); each selected
policy is then valued with the actuarial engine in the batch's transaction. Every effect is
once only: declarations are unique per (policy, year), ledger entries by reference, loans
carry interest_to, events are unique per (policy, kind, date)."""
from __future__ import annotations

from sqlalchemy import or_

from paas.cycle.batch import Batch
from paas.cycle.dates import anniversary_issue_dates
from paas.cycle.sql import issued_on
from paas.cycle.steps import benefits, dividends, loans
from paas.cycle.valued import cover_in_force, held_before, policies_with_facts
from paas.loans.models import PolicyLoan
from paas.policies.models import Policy
from paas.policies.terms import COVER_STATUSES
from paas.policies.valuation import PolicyFacts

NAME = "anniversaries"


def run(batch: Batch) -> int:
    products = batch.products
    rows = policies_with_facts(
        batch,
        issued_on(anniversary_issue_dates(batch.run_date)),
        or_(Policy.status.in_(COVER_STATUSES) & Policy.product_id.in_(products.participating + products.endowment),
            PolicyLoan.id.is_not(None)),
    )
    held = held_before(batch, [policy.id for policy, _loan, _facts in rows])

    def anniversary(policy: Policy, loan: PolicyLoan | None, facts: PolicyFacts) -> None:
        year = batch.run_date.year - policy.issue_date.year
        if policy.status in COVER_STATUSES:
            if policy.product_id in products.participating:
                dividends.declare(batch, policy, cover_in_force(policy, facts), year, held)
            if policy.product_id in products.endowment:
                benefits.credit_survival(batch, policy, cover_in_force(policy, facts), year, held)
        if loan is not None:
            loans.capitalise_interest(batch, policy, loan, facts)

    batch.each_policy(rows, anniversary)
    return batch.write_pending()
