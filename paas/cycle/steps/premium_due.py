"""Step 3 - premium-due notices (交费通知单), ``notice_days`` (default 30) ahead.

Rule, for run date D and T = D + notice_days: the policy is in force or in grace, pays by
instalments (not a single premium), T is one of its renewal due dates (counted from the issue
date as the schedule does, month ends clamped), T is not paid yet (paid_to_date <= T) and
premiums still run then (premium_end_date > T, or no end). Every unpaid due gets its notice,
so a monthly policy in grace also hears of its next premium.

Effect: event ``premium_due`` on D, detail {amount, due_date}. Nothing else changes, so a
rerun inserts nothing (one event per policy, kind and date)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_

from paas.cycle.batch import Batch
from paas.cycle.dates import due_issue_dates
from paas.cycle.sql import event_rows, issued_on, money_text, raise_for_rows
from paas.policies.models import Policy
from paas.policies.terms import ANNUAL, MONTHLY, PREMIUM_STATUSES, QUARTERLY, SEMI_ANNUAL

NAME = "premium_due"
INSTALMENT_MODES = (ANNUAL, SEMI_ANNUAL, QUARTERLY, MONTHLY)


def run(batch: Batch) -> int:
    due = batch.run_date + timedelta(days=batch.options.notice_days)
    falls_due = or_(*(
        (Policy.premium_mode == mode) & issued_on(due_issue_dates(due, mode)) for mode in INSTALMENT_MODES
    ))
    rows = event_rows(Policy.id, "premium_due", batch.run_date,
                      {"amount": money_text(Policy.modal_premium), "due_date": due}).where(
        *batch.policies(),
        Policy.status.in_(PREMIUM_STATUSES),
        Policy.paid_to_date <= due,
        or_(Policy.premium_end_date.is_(None), Policy.premium_end_date > due),
        falls_due,
    )
    return raise_for_rows(batch.session, rows, batch.now)
