"""The yardstick of the cycle benchmark: a bare set-based SQL pass over the same rows, touched
the same way - for each step of the cycle one statement over the whole book with
the step's own WHERE clause, in one transaction. No batches, no progress rows, no guards
against a rerun, no audit, no actuarial engine: the amounts the engine would work out
(dividends, benefits, interest, whether the cash value covers a premium loan) are replaced
by simple arithmetic on the same columns, and an automatic premium loan pays one due.
One statement per step (data-modifying CTEs where a step writes several tables), so each
step reads the book once. PostgreSQL only, like the benchmark."""
from __future__ import annotations

from datetime import date, timedelta

from paas.cycle.dates import anniversary_issue_dates, due_issue_dates
from paas.policies.terms import GRACE_DAYS

EVENT = "INSERT INTO policy_events (policy_id, kind, event_date, detail, created_at)"
NEXT_DUE = ("g.paid_to_date + CASE g.premium_mode WHEN 'monthly' THEN interval '1 month' WHEN 'quarterly'"
            " THEN interval '3 months' WHEN 'semi_annual' THEN interval '6 months' ELSE interval '1 year' END")
ANNIVERSARY = "p.issue_date = ANY(%(anniversary)s) AND p.status IN ('in_force', 'grace', 'paid_up')"
YEAR = "(extract(year FROM %(day)s::date) - extract(year FROM p.issue_date))::int"

FACTOR = "CASE {} WHEN 'monthly' THEN 0.088 WHEN 'quarterly' THEN 0.262 WHEN 'semi_annual' THEN 0.52 ELSE 1 END"

STEPS = {
    "premium_mode": [
        "WITH c AS (UPDATE policies SET premium_mode = next_premium_mode, modal_premium = round(modal_premium"
        f" / {FACTOR.format('premium_mode')} * {FACTOR.format('next_premium_mode')}, 2), next_premium_mode = NULL,"
        " version = version + 1 WHERE next_premium_mode IS NOT NULL AND status IN ('in_force', 'grace')"
        " AND paid_to_date >= %(day)s AND to_char(paid_to_date, 'MM-DD') = to_char(issue_date, 'MM-DD')"
        " RETURNING id, premium_mode, modal_premium)"
        f" {EVENT} SELECT id, 'premium_mode_changed', %(day)s, json_build_object('mode', premium_mode,"
        " 'premium', modal_premium::text)::text, now() FROM c",
    ],
    "premium_due": [
        f"{EVENT} SELECT id, 'premium_due', %(day)s, json_build_object('amount', modal_premium::text,"
        " 'due_date', %(due)s::text)::text, now() FROM policies WHERE status IN ('in_force', 'grace')"
        " AND paid_to_date <= %(due)s AND (premium_end_date IS NULL OR premium_end_date > %(due)s)"
        " AND ((premium_mode = 'annual' AND issue_date = ANY(%(annual)s))"
        " OR (premium_mode = 'semi_annual' AND issue_date = ANY(%(semi_annual)s))"
        " OR (premium_mode = 'quarterly' AND issue_date = ANY(%(quarterly)s))"
        " OR (premium_mode = 'monthly' AND issue_date = ANY(%(monthly)s)))",
    ],
    "grace": [
        "WITH c AS (UPDATE policies SET status = 'grace', status_date = paid_to_date + 1, version = version + 1"
        " WHERE status = 'in_force' AND premium_mode <> 'single' AND paid_to_date < %(day)s"
        " AND (premium_end_date IS NULL OR paid_to_date < premium_end_date) RETURNING id, paid_to_date, modal_premium)"
        f" {EVENT} SELECT id, 'grace_started', %(day)s, json_build_object('amount', modal_premium::text,"
        " 'due_date', paid_to_date::text, 'grace_ends', (paid_to_date + 60)::text)::text, now() FROM c",
    ],
    "grace_warning": [
        f"{EVENT} SELECT id, 'grace_warning', %(day)s, json_build_object('amount', modal_premium::text,"
        " 'due_date', paid_to_date::text, 'lapses_on', %(lapses_on)s::text)::text, now()"
        " FROM policies WHERE status = 'grace' AND paid_to_date = %(warned_due)s",
    ],
    # one pass over the anniversaries: interest on money held, dividends declared and applied,
    # survival benefits every third year, loan interest; the events of each
    "anniversaries": [
        "WITH a AS MATERIALIZED (SELECT p.id, p.product_id, p.sum_assured, p.expiry_date,"
        f" coalesce(p.dividend_option, 'accumulate') AS option, {YEAR} AS year FROM policies p WHERE {ANNIVERSARY}),"
        " i AS (INSERT INTO policy_ledger (policy_id, account, kind, entry_date, amount, reference, created_at)"
        " SELECT l.policy_id, l.account, 'interest', %(day)s, round(sum(l.amount) * 0.025, 2),"
        " l.account || '-interest:' || l.policy_id || ':' || a.year, now() FROM policy_ledger l JOIN a"
        " ON a.id = l.policy_id WHERE l.entry_date < %(day)s GROUP BY l.policy_id, l.account, a.year"
        " HAVING sum(l.amount) > 0),"
        " d AS (INSERT INTO dividend_declarations (policy_id, policy_year, declared_on, amount, option, created_at)"
        " SELECT id, year, %(day)s, round(sum_assured * 0.004, 2), option, now() FROM a"
        " WHERE product_id = ANY(%(participating)s) RETURNING policy_id, policy_year, amount, option),"
        " c AS (INSERT INTO policy_ledger (policy_id, account, kind, entry_date, amount, reference, created_at)"
        " SELECT policy_id, 'dividends', 'credit', %(day)s, amount, 'dividend:' || policy_id || ':' || policy_year,"
        " now() FROM d WHERE option = 'accumulate'),"
        " u AS (UPDATE policies p SET paid_up_additions = p.paid_up_additions + round(d.amount * 2, 2),"
        " version = p.version + 1 FROM d WHERE p.id = d.policy_id AND d.option = 'paid_up_additions'),"
        " s AS (INSERT INTO policy_ledger (policy_id, account, kind, entry_date, amount, reference, created_at)"
        " SELECT id, 'survival_benefits', 'credit', %(day)s, round(sum_assured * 0.1, 2), 'survival:' || id || ':'"
        " || %(day)s, now() FROM a WHERE product_id = ANY(%(endowment)s) AND year %% 3 = 0 AND expiry_date > %(day)s"
        " RETURNING policy_id, amount),"
        " n AS (UPDATE policy_loans l SET balance = balance + round(balance * interest_rate"
        " * (%(day)s - interest_to) / 365, 2), interest_to = %(day)s FROM a WHERE a.id = l.policy_id"
        " AND l.status = 'open' AND l.interest_to < %(day)s RETURNING l.policy_id, l.balance)"
        f" {EVENT} SELECT policy_id, 'dividend_declared', %(day)s, json_build_object('amount', amount::text,"
        " 'option', option)::text, now() FROM d UNION ALL SELECT policy_id, 'survival_benefit', %(day)s,"
        " json_build_object('amount', amount::text)::text, now() FROM s UNION ALL SELECT policy_id, 'loan_interest',"
        " %(day)s, json_build_object('balance', balance::text)::text, now() FROM n",
    ],
    # the end of cover: expiry, or maturity with its benefit credited
    "maturities": [
        "WITH m AS (UPDATE policies SET status = CASE WHEN product_id = ANY(%(endowment)s) THEN 'matured'"
        " ELSE 'expired' END, status_date = expiry_date, version = version + 1"
        " WHERE expiry_date <= %(day)s AND status IN ('in_force', 'grace', 'paid_up')"
        " RETURNING id, status, sum_assured, expiry_date),"
        " l AS (INSERT INTO policy_ledger (policy_id, account, kind, entry_date, amount, reference, created_at)"
        " SELECT id, 'survival_benefits', 'credit', expiry_date, sum_assured, 'maturity:' || id, now() FROM m"
        " WHERE status = 'matured')"
        f" {EVENT} SELECT id, CASE status WHEN 'matured' THEN 'maturity' ELSE 'cover_ended' END, %(day)s,"
        " json_build_object('expiry_date', expiry_date::text)::text, now() FROM m",
    ],
    # grace ended: lapse, or an automatic premium loan for one due without asking the cash value
    "lapse": [
        "WITH g AS MATERIALIZED (SELECT id, paid_to_date, modal_premium, premium_mode, automatic_premium_loan AS apl"
        " FROM policies WHERE status = 'grace' AND paid_to_date < %(lapse_before)s),"
        " x AS (UPDATE policies p SET status = 'lapsed', status_date = g.paid_to_date + 61, version = p.version + 1"
        " FROM g WHERE p.id = g.id AND NOT g.apl RETURNING g.id, g.paid_to_date, g.modal_premium),"
        " pp AS (INSERT INTO premium_payments (policy_id, due_date, amount, paid_on, channel, kind, reference)"
        " SELECT id, paid_to_date, modal_premium, %(day)s, 'loan', 'apl', 'apl:' || id || ':' || paid_to_date"
        " FROM g WHERE apl),"
        " ol AS (UPDATE policy_loans l SET balance = l.balance + g.modal_premium, principal = l.principal"
        " + g.modal_premium FROM g WHERE g.apl AND l.policy_id = g.id AND l.status = 'open' RETURNING l.policy_id),"
        " nl AS (INSERT INTO policy_loans (policy_id, principal, interest_rate, taken_on, interest_to, balance,"
        " status, created_at) SELECT id, modal_premium, 0.05, %(day)s, %(day)s, modal_premium, 'open', now() FROM g"
        " WHERE apl AND NOT EXISTS (SELECT 1 FROM policy_loans l WHERE l.policy_id = g.id AND l.status = 'open')),"
        f" y AS (UPDATE policies p SET paid_to_date = ({NEXT_DUE})::date,"
        " status = 'in_force', status_date = %(day)s, version = p.version + 1 FROM g WHERE p.id = g.id AND g.apl"
        " RETURNING g.id, g.modal_premium)"
        f" {EVENT} SELECT id, 'lapsed', %(day)s, json_build_object('amount', modal_premium::text, 'due_date',"
        " paid_to_date::text, 'lapsed_on', (paid_to_date + 61)::text)::text, now() FROM x UNION ALL"
        " SELECT id, 'automatic_premium_loan', %(day)s, json_build_object('amount', modal_premium::text)::text,"
        " now() FROM y",
    ],
}


def parameters(day: date, participating: list[int], endowment: list[int], notice_days: int = 30,
               warning_days: int = 15) -> dict:
    due = day + timedelta(days=notice_days)
    lapses_on = day + timedelta(days=warning_days)
    return {
        "day": day, "due": due, "lapses_on": lapses_on, "warned_due": lapses_on - timedelta(days=GRACE_DAYS + 1),
        "lapse_before": day - timedelta(days=GRACE_DAYS), "anniversary": anniversary_issue_dates(day),
        "participating": participating, "endowment": endowment,
        **{mode: due_issue_dates(due, mode) for mode in ("annual", "semi_annual", "quarterly", "monthly")},
    }
