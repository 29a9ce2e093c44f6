"""The premiums paid on a generated policy: only the most recent (at most three) of the dues
paid, which is what the pages show, and a fraction of the rows a full history would take."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from portal.demo.bulk.lifecycle import Lifecycle
from paas.policies.schedule import add_months
from portal.demo.bulk.vocabulary import weighted_table

PREMIUM_COLUMNS = ("policy_id", "due_date", "amount", "paid_on", "channel")
CHANNELS = (("bank_debit", 70), ("card", 20), ("counter", 10))
_CHANNEL_TABLE = weighted_table(CHANNELS)
_RECENT = 3


def write_payments(
    out: list[str], r: Callable[[], float], policy_id: int, life: Lifecycle, step: int, modal: str, today: date
) -> None:
    """Append to ``out`` the COPY text lines of the last dues paid on ``policy_id``
    (``step`` months apart). The first premium is paid up to a week before the issue date;
    a bank debit takes a premium on or a few days before its due date; card and counter
    payments come up to 30 / 50 days late - but not after today, nor after a surrender."""
    issue = life.issue
    for k in range(max(0, life.paid - _RECENT), life.paid):
        due = issue if k == 0 else add_months(issue, k * step)
        channel = _CHANNEL_TABLE[int(r() * len(_CHANNEL_TABLE))]
        if k == 0:
            paid_on = due - timedelta(days=int(r() * 8))
        elif channel == "bank_debit":
            paid_on = due - timedelta(days=int(r() * 4))
        else:
            paid_on = due + timedelta(days=int(r() * (30 if channel == "card" else 50)))
            if paid_on >= today:
                paid_on = today - timedelta(days=1) if due < today else due
            if life.status == "surrendered" and paid_on > life.status_date:
                paid_on = max(due, life.status_date)
        out.append(f"{policy_id}\t{due.isoformat()}\t{modal}\t{paid_on.isoformat()}\t{channel}\n")
