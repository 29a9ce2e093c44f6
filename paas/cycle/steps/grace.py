"""Step 4 - grace starts (宽限期): a premium due passed unpaid.

Rule, for run date D: the policy is in force, pays by instalments, premiums still run
(paid_to_date < premium_end_date, or no end) and paid_to_date < D - the premium due on the
paid-to date was not paid by its due date.

Effect: status ``grace``, status_date = paid_to_date + 1 (the first day unpaid, also when a
missed night is caught up later), version + 1; event ``grace_started`` on D, detail {amount,
due_date, grace_ends = due date + GRACE_DAYS}. The guard (status in force) makes a rerun
change nothing."""
from __future__ import annotations

from sqlalchemy import or_

from paas.cycle.batch import Batch
from paas.cycle.sql import date_text, days_after, money_text, update_and_raise
from paas.policies.models import Policy
from paas.policies.terms import GRACE, GRACE_DAYS, IN_FORCE, SINGLE

NAME = "grace"


def run(batch: Batch) -> int:
    where = [
        *batch.policies(),
        Policy.status == IN_FORCE,
        Policy.premium_mode != SINGLE,
        Policy.paid_to_date < batch.run_date,
        or_(Policy.premium_end_date.is_(None), Policy.paid_to_date < Policy.premium_end_date),
    ]
    values = {"status": GRACE, "status_date": days_after(Policy.paid_to_date, 1), "version": Policy.version + 1}
    return update_and_raise(batch.session, where, values, "grace_started", batch.run_date, _detail, batch.now)


def _detail(c):
    return {"amount": money_text(c.modal_premium), "due_date": date_text(c.paid_to_date),
            "grace_ends": date_text(days_after(c.paid_to_date, GRACE_DAYS))}
