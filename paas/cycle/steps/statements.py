"""Step 7 - annual premium statements (年度保费对账单).

Rule, for run date D: D is the policy's y-th anniversary (as in anniversaries.py: y >= 1, a
29 February issue has its anniversaries on 28 February in common years) and the policy is
covered - in force, in grace or paid up - on D. Its statement covers policy year y: from its
(y-1)-th anniversary (the issue date for y = 1) to D - 1. Premiums paid: the premium ledger's
credits for the dues of that year (due date in [start, D)), however they were settled (by the
customer or by an automatic premium loan), summed as Decimal, and how many; cash value: the
policy's surrender value on D (the actuarial engine, as the anniversaries value it).

Effect: event ``annual_statement`` on D {year, period_start, period_end, payments,
premiums_paid, cash_value}, written with the batch (``paas.notices.bulk`` through
``Batch.pending``); the notices step makes it a signed notice. Once a year per policy: events
are unique per (policy, kind, date), so a rerun of the night raises none twice. After the
anniversaries (a policy in grace is still covered on its anniversary) and before maturities
and lapse (the last year of a maturing policy is stated too)."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from paas.cycle.batch import Batch
from paas.cycle.dates import anniversary_issue_dates
from paas.cycle.sql import issued_on
from paas.cycle.valued import policies_with_facts
from paas.money import to_fen
from paas.policies.models import Policy, PremiumPayment
from paas.policies.schedule import add_months
from paas.policies.terms import COVER_STATUSES
from paas.policies.valuation import PolicyFacts, value_policy

NAME = "statements"
ZERO = Decimal("0.00")


def run(batch: Batch) -> int:
    day = batch.run_date
    rows = policies_with_facts(batch, issued_on(anniversary_issue_dates(day)), Policy.status.in_(COVER_STATUSES))
    paid = _premiums_paid(batch, [policy.id for policy, _loan, _facts in rows])

    def statement(policy: Policy, _loan, facts: PolicyFacts) -> None:
        year = day.year - policy.issue_date.year
        start = add_months(policy.issue_date, 12 * (year - 1))
        amounts = [amount for due, amount in paid[policy.id] if start <= due]
        batch.pending.event(policy.id, "annual_statement", day, {
            "year": str(year), "period_start": start.isoformat(), "period_end": (day - timedelta(days=1)).isoformat(),
            "payments": str(len(amounts)), "premiums_paid": str(to_fen(sum(amounts, ZERO))),
            "cash_value": str(to_fen(value_policy(facts, day).cash_value))})

    batch.each_policy(rows, statement)
    return batch.write_pending()


def _premiums_paid(batch: Batch, policy_ids: list[int]) -> dict[int, list[tuple]]:
    """Each policy's credits (due date, amount) for dues in the year before the run date (the
    widest policy year: 366 days); each policy's own start is applied by the caller."""
    found: dict[int, list[tuple]] = defaultdict(list)
    if not policy_ids:
        return found
    day = batch.run_date
    for policy_id, due, amount in batch.session.execute(
            select(PremiumPayment.policy_id, PremiumPayment.due_date, PremiumPayment.amount)
            .where(PremiumPayment.policy_id.in_(policy_ids), PremiumPayment.due_date < day,
                   PremiumPayment.due_date >= day - timedelta(days=366))):
        found[policy_id].append((due, Decimal(str(amount))))
    return found
