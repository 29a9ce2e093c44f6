"""Step 5 - grace warnings (宽限期届满提醒, pre-lapse notice), ``warning_days`` (default 15)
before the lapse date.

Rule, for run date D: the policy is in grace and would lapse on D + warning_days, i.e. the
day after its GRACE_DAYS of grace: paid_to_date + GRACE_DAYS + 1 = D + warning_days. Policies
with automatic premium loan are warned too: the loan is only made if the cash value allows.
Not a policy whose unpaid premium is covered by a payment held for review: it has been paid,
most likely, and does not lapse while we check.

Effect: event ``grace_warning`` on D, detail {amount, due_date, lapses_on}. Nothing else
changes; a rerun inserts nothing."""
from __future__ import annotations

from datetime import timedelta

from paas.billing.review import oldest_due_in_review
from paas.cycle.batch import Batch
from paas.cycle.sql import event_rows, money_text, raise_for_rows
from paas.policies.models import Policy
from paas.policies.terms import GRACE, due_lapsing_on

NAME = "grace_warning"


def run(batch: Batch) -> int:
    lapses_on = batch.run_date + timedelta(days=batch.options.warning_days)
    due = due_lapsing_on(lapses_on)
    detail = {"amount": money_text(Policy.modal_premium), "due_date": due, "lapses_on": lapses_on}
    rows = event_rows(Policy.id, "grace_warning", batch.run_date, detail).where(
        *batch.policies(), Policy.status == GRACE, Policy.paid_to_date == due, ~oldest_due_in_review(),
    )
    return raise_for_rows(batch.session, rows, batch.now)
