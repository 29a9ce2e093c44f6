"""Step 2 - a premium mode change (缴费方式变更) takes effect.

Servicing records the change asked for in ``next_premium_mode``, to run from the next policy
anniversary. Rule, for run date D: the policy is in force or in grace, a change is waiting,
and it is paid exactly to an anniversary not yet past (paid_to_date is an anniversary of the
issue date and paid_to_date >= D): every dues of the old mode before it are paid, and as every
anniversary is a due date in every mode, the due on it is the first of the new mode (see
``paas.policies.schedule``). A policy paid beyond it in the old mode waits for the next one.
Runs before the premium-due notices, so the notice of that due quotes the new premium.

Effect: premium_mode = the new mode, modal_premium = the same yearly premium spread by the
new mode's modal factor (rounded once, as the servicing quote showed it), next_premium_mode
cleared, version + 1; event ``premium_mode_changed`` on D {from_mode, mode, premium,
first_due}. The change is taken once: the rule needs the waiting change it clears."""
from __future__ import annotations

from paas.cycle.batch import Batch
from paas.cycle.valued import policies_with_facts
from paas.money import to_fen
from paas.policies.models import Policy
from paas.policies.schedule import is_anniversary
from paas.policies.terms import PREMIUM_STATUSES
from paas.policies.valuation import PolicyFacts, cover_of

NAME = "premium_mode"


def run(batch: Batch) -> int:
    rows = policies_with_facts(batch, Policy.next_premium_mode.is_not(None), Policy.status.in_(PREMIUM_STATUSES),
                               Policy.paid_to_date >= batch.run_date)
    batch.each_policy(rows, lambda policy, _loan, facts: _switch(batch, policy, facts))
    return batch.write_pending()


def _switch(batch: Batch, policy: Policy, facts: PolicyFacts) -> None:
    if not is_anniversary(policy.issue_date, policy.paid_to_date):
        return
    factors = cover_of(facts).spec.modal_factors
    old, new = policy.premium_mode, policy.next_premium_mode
    premium = to_fen(policy.modal_premium / factors[old] * factors[new])
    policy.premium_mode, policy.modal_premium, policy.next_premium_mode = new, premium, None
    policy.version += 1
    batch.pending.event(policy.id, "premium_mode_changed", batch.run_date, {
        "from_mode": old, "mode": new, "premium": str(premium), "first_due": policy.paid_to_date.isoformat()})
