"""What the cycle tests share: a snapshot of every table the cycle writes, to compare two runs
row for row."""
from __future__ import annotations

from sqlalchemy import Connection, text

from paas.cycle.batch import CycleOptions

SMALL_BATCHES = CycleOptions(batch_size=7)  # many batches even on a small book

# Everything the cycle writes, without the instants (created_at) and the ids of new rows:
# two runs that did the same work agree on all of it.
SNAPSHOT = {
    "policies": "SELECT id, status, status_date, paid_to_date, version, paid_up_additions FROM policies",
    "premium_payments": "SELECT policy_id, due_date, amount, paid_on, channel, kind, reference FROM premium_payments",
    "policy_ledger": "SELECT policy_id, account, kind, entry_date, amount, reference FROM policy_ledger",
    "policy_loans": "SELECT policy_id, principal, interest_rate, taken_on, interest_to, balance, status"
                    " FROM policy_loans",
    "dividend_declarations": "SELECT policy_id, policy_year, declared_on, amount, option FROM dividend_declarations",
    "policy_events": "SELECT policy_id, type, reference, event_date, detail FROM policy_events",
    # (a notice's number and signature follow its event's id, which the order of the work decides)
    "notices": "SELECT customer_id, policy_id, notice_type, locale, issued_on FROM notices",
    # (planned, not how far they got: sending depends on the gateways, not on the cycle)
    "notice_deliveries": "SELECT n.policy_id, n.notice_type, d.channel FROM notice_deliveries d"
                         " JOIN notices n ON n.id = d.notice_id",
}


def snapshot(connection: Connection) -> dict[str, list[tuple]]:
    """Every row of every table the cycle writes, as text, sorted."""
    return {
        table: sorted(tuple(str(value) for value in row) for row in connection.execute(text(sql)))
        for table, sql in SNAPSHOT.items()
    }


def differences(first: dict, second: dict) -> dict[str, tuple[int, int, list]]:
    """Per table that differs: (rows only in first, rows only in second, a few examples)."""
    found = {}
    for table in SNAPSHOT:
        a, b = set(first[table]), set(second[table])
        if a != b:
            found[table] = (len(a - b), len(b - a), sorted(a ^ b)[:3])
    return found
