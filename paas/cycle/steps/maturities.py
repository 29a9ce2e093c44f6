"""Step 7 - the end of cover (满期): maturities and expiries.

Rule, for run date D: expiry_date <= D (D itself on a nightly run; a missed night is caught
up) and the policy is in force, in grace or paid up.
  * Endowments (products with survival benefits): the maturity benefit, per policy with the
    engine (maturity.py): status ``matured``, event ``maturity``.
  * Other products (set-based): status ``expired``, status_date = expiry_date, version + 1;
    event ``cover_ended`` on D, detail {expiry_date}.
Runs after the anniversaries (the expiry date is the last anniversary: its loan interest is
capitalised before the loan is settled from the benefit) and before lapses (a policy whose
grace runs into its expiry date matures, its arrears deducted). The guard on the status makes
a rerun change nothing."""
from __future__ import annotations

from paas.cycle.batch import Batch
from paas.cycle.sql import date_text, update_and_raise
from paas.cycle.steps.maturity import mature
from paas.cycle.valued import policies_with_facts
from paas.policies.models import Policy
from paas.policies.terms import COVER_STATUSES, EXPIRED

NAME = "maturities"


def run(batch: Batch) -> int:
    ended = [Policy.expiry_date <= batch.run_date, Policy.status.in_(COVER_STATUSES)]
    endowment = Policy.product_id.in_(batch.products.endowment)
    values = {"status": EXPIRED, "status_date": Policy.expiry_date, "version": Policy.version + 1}
    touched = update_and_raise(batch.session, [*batch.policies(), *ended, ~endowment], values, "cover_ended",
                               batch.run_date, _detail, batch.now)
    batch.each_policy(policies_with_facts(batch, *ended, endowment),
                      lambda policy, loan, facts: mature(batch, policy, loan, facts))
    return touched + batch.write_pending()


def _detail(c):
    return {"expiry_date": date_text(c.expiry_date)}
