"""Step 8 - the grace period ended unpaid: lapse (停效), or an automatic premium loan (自动垫交).

Rule, for run date D: the policy is in grace and paid_to_date + GRACE_DAYS < D - the grace
period of its oldest unpaid premium ended on D - 1 or earlier.
  * Without automatic premium loan (set-based): status ``lapsed``, status_date = paid_to_date
    + GRACE_DAYS + 1 (the day after the grace period: D on a nightly run, and still the true
    day when a missed night is caught up), version + 1; event ``lapsed`` on D, detail
    {amount, due_date, lapsed_on}. The reinstatement window (REINSTATEMENT_YEARS) runs from
    the status date.
  * With automatic premium loan elected: premium_loans.lend_premiums pays what the cash value
    allows; a policy whose grace has still ended after that lapses the same way.
Runs after anniversaries and maturities: a policy covered through its grace period gets its
anniversary's dividend or survival benefit, and one that matures today matures rather than
lapses. A policy whose unpaid premium is covered by a payment held for review
(``paas.billing.review``) does not lapse while we check it: the customer has most likely paid.
The guard (status grace) makes a rerun change nothing."""
from __future__ import annotations

from paas.billing.review import oldest_due_in_review
from paas.cycle.batch import Batch
from paas.cycle.sql import date_text, days_after, money_text, update_and_raise
from paas.cycle.steps.premium_loans import lend_premiums
from paas.cycle.valued import policies_with_facts
from paas.policies.models import Policy
from paas.policies.terms import GRACE, LAPSED, LAPSES_AFTER_DAYS, due_lapsing_on, lapse_date

NAME = "lapse"


def run(batch: Batch) -> int:
    ended = [Policy.status == GRACE, Policy.paid_to_date <= due_lapsing_on(batch.run_date), ~oldest_due_in_review()]
    values = {"status": LAPSED, "status_date": days_after(Policy.paid_to_date, LAPSES_AFTER_DAYS),  # lapse_date, in SQL
              "version": Policy.version + 1}
    touched = update_and_raise(batch.session, [*batch.policies(), *ended, Policy.automatic_premium_loan.is_(False)],
                               values, "lapsed", batch.run_date, _detail, batch.now)
    batch.each_policy(policies_with_facts(batch, *ended, Policy.automatic_premium_loan.is_(True)),
                      lambda policy, loan, facts: _lend_or_lapse(batch, policy, loan, facts))
    return touched + batch.write_pending()


def _lend_or_lapse(batch: Batch, policy: Policy, loan, facts) -> None:
    lend_premiums(batch, policy, loan, facts)
    if policy.paid_to_date <= due_lapsing_on(batch.run_date):
        lapse(batch, policy)


def _detail(c):
    return {"amount": money_text(c.modal_premium), "due_date": date_text(c.paid_to_date),
            "lapsed_on": date_text(days_after(c.paid_to_date, LAPSES_AFTER_DAYS))}


def lapse(batch: Batch, policy: Policy) -> None:
    """The same change as the set-based one, for a policy already loaded."""
    lapsed_on = lapse_date(policy.paid_to_date)
    policy.status, policy.status_date, policy.version = LAPSED, lapsed_on, policy.version + 1
    batch.pending.event(policy.id, "lapsed", batch.run_date, {
        "amount": str(policy.modal_premium), "due_date": policy.paid_to_date.isoformat(),
        "lapsed_on": lapsed_on.isoformat(),
    })
