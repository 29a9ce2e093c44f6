"""Anniversary dividends (红利), for the anniversaries step: a year's interest on the
dividends left to accumulate, then the dividend of the policy year just completed declared
and applied by the policyholder's option (``declare_dividend``: accumulate -> ledger credit;
paid-up additions -> more cover; cash -> event ``dividend_cash`` for the payment to follow;
offset premium -> the declaration is the record billing deducts from the next premium).
Event ``dividend_declared`` {amount, option, policy_year}. Interest and events are written
with the batch (``Batch.pending``)."""
from __future__ import annotations

from decimal import Decimal

from paas.cycle.batch import Batch
from paas.dividends.declare import CASH, declare_dividend
from paas.policies.models import Policy
from paas.products.pricing import Cover


def declare(batch: Batch, policy: Policy, cover: Cover, year: int, held: dict[tuple[int, str], Decimal]) -> None:
    on, pending = batch.run_date, batch.pending
    held_dividends = held.get((policy.id, "dividends"), 0)
    if held_dividends > 0:  # a year's interest on what was held before today, as credit_interest works it out
        pending.entry(policy.id, "dividends", "interest", held_dividends * cover.spec.dividends.accumulation_interest,
                      on, f"dividend-interest:{policy.id}:{year}")
    additions = policy.paid_up_additions
    declaration = declare_dividend(batch.uow, policy, cover, year, on)
    if declaration is None:
        return
    if policy.paid_up_additions != additions:
        policy.version += 1
    amount = str(declaration.amount)
    pending.event(policy.id, "dividend_declared", on,
                  {"amount": amount, "option": declaration.option, "policy_year": str(year)})
    if declaration.option == CASH:
        pending.event(policy.id, "dividend_cash", on, {"amount": amount, "policy_year": str(year)})
