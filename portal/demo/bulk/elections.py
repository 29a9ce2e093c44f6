"""Elections and money for a bulk-loaded book, which ``bulk_seed`` itself leaves out: one
policy in three asks for automatic premium loans, one in a thousand for a change of premium
mode, participating policies take every dividend option, some policies with value carry a loan
(a few of them large) and half of them have money left to accumulate. Added by the nightly cycle's tests and benchmark, so that every rule
of the cycle meets real cases. Portable SQL (SQLite and PostgreSQL), one statement each."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import Connection, Date, bindparam, text

from paas.persistence import UtcDateTime
from paas.policies.schedule import add_months

STATEMENTS = (
    "UPDATE policies SET automatic_premium_loan = (id % 3 = 0)",
    "UPDATE policies SET next_premium_mode = CASE premium_mode WHEN 'annual' THEN 'monthly' ELSE 'annual' END"
    " WHERE id % :mode_changes = 7 AND status = 'in_force' AND premium_mode <> 'single'",
    "UPDATE policies SET dividend_option = CASE id % 4 WHEN 0 THEN 'cash' WHEN 1 THEN 'accumulate'"
    " WHEN 2 THEN 'offset_premium' ELSE 'paid_up_additions' END"
    " WHERE product_id IN (SELECT id FROM products WHERE participating)",
    "INSERT INTO policy_loans (policy_id, principal, interest_rate, taken_on, interest_to, balance, status, created_at)"
    " SELECT p.id, CASE WHEN p.id % 25 = 0 THEN p.sum_assured / 4 ELSE 2000 END, 0.05, :since, :since,"
    " CASE WHEN p.id % 25 = 0 THEN p.sum_assured / 4 ELSE 2000 END, 'open', :since_instant"
    " FROM policies p JOIN products r ON r.id = p.product_id"
    " WHERE p.id % 5 = 0 AND r.code IN ('WLPAR', 'ENDOW') AND p.issue_date < :old"
    " AND p.status IN ('in_force', 'grace', 'paid_up')"
    " AND NOT EXISTS (SELECT 1 FROM policy_loans l WHERE l.policy_id = p.id AND l.status = 'open')",
    "INSERT INTO policy_ledger (policy_id, account, kind, entry_date, amount, reference, created_at)"
    " SELECT p.id, CASE r.code WHEN 'WLPAR' THEN 'dividends' ELSE 'survival_benefits' END, 'credit', :since,"
    " 800.00, 'seeded:' || p.id, :since_instant"
    " FROM policies p JOIN products r ON r.id = p.product_id"
    " WHERE p.id % 2 = 0 AND r.code IN ('WLPAR', 'ENDOW') AND p.issue_date < :since"
    " AND NOT EXISTS (SELECT 1 FROM policy_ledger e WHERE e.reference = 'seeded:' || p.id)",
)


def add_elections(connection: Connection, today: date, *, mode_changes: int = 1000) -> None:
    """Loans taken and money credited eleven months before ``today``; loans only on policies
    issued three years before it at least; a premium mode change asked for on one policy in
    ``mode_changes`` (most annual payers are paid to their next anniversary, so about half of
    these take effect on the first night). Idempotent."""
    since = add_months(today, -11)
    params = {"since": since, "since_instant": datetime.combine(since, time(), timezone.utc),
              "old": add_months(today, -36), "mode_changes": mode_changes}
    types = (bindparam("since", type_=Date), bindparam("since_instant", type_=UtcDateTime()),
             bindparam("old", type_=Date))
    for statement in STATEMENTS:
        sql = text(statement)
        connection.execute(sql.bindparams(*(t for t in types if f":{t.key}" in statement)), params)
