"""The few policies of a batch that a step must value with the actuarial engine: selected
set-based (one SELECT per batch, everything a valuation needs joined in), locked against
concurrent servicing and payments, then worked on one by one in the batch's transaction."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select

from paas.cycle.batch import Batch
from paas.loans.models import PolicyLoan
from paas.policies.facts import FACT_COLUMNS, facts_from, with_facts
from paas.policies.models import Policy, PolicyLedgerEntry
from paas.policies.terms import PAID_UP
from paas.policies.valuation import PolicyFacts, cover_of
from paas.products.pricing import Cover


def policies_with_facts(batch: Batch, *where) -> list[tuple[Policy, PolicyLoan | None, PolicyFacts]]:
    """The batch's policies matching ``where``, each with its open loan and its facts."""
    statement = (
        with_facts(select(Policy, PolicyLoan, *FACT_COLUMNS))
        .where(*batch.policies(), *where)
        .order_by(Policy.id)
        .with_for_update(of=Policy)
    )
    rows = batch.session.execute(statement, {"today": batch.run_date}).all()
    return [(row[0], row[1], facts_from(row[2:])) for row in rows]


def held_before(batch: Batch, policy_ids: list[int]) -> dict[tuple[int, str], Decimal]:
    """Money held for each policy by account before the run date (what earns the year's interest)."""
    if not policy_ids:
        return {}
    rows = batch.session.execute(
        select(PolicyLedgerEntry.policy_id, PolicyLedgerEntry.account, func.sum(PolicyLedgerEntry.amount))
        .where(PolicyLedgerEntry.policy_id.in_(policy_ids), PolicyLedgerEntry.entry_date < batch.run_date)
        .group_by(PolicyLedgerEntry.policy_id, PolicyLedgerEntry.account)
    )
    return {(policy_id, account): Decimal(str(total)) for policy_id, account, total in rows}


def cover_in_force(policy: Policy, facts: PolicyFacts) -> Cover:
    """The cover its benefits are figured on: a reduced paid-up policy's benefits shrink
    with its sum assured."""
    cover = cover_of(facts)
    if policy.status == PAID_UP and policy.paid_up_sum_assured is not None:
        return replace(cover, sum_assured=policy.paid_up_sum_assured)
    return cover
