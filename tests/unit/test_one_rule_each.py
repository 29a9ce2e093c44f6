"""Rules with one home: the lapse date (``paas.policies.terms``) and settling a policy loan
(``paas.loans.lending.repay``), pinned here and asked by every place that needs them."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from paas.billing.dues import Due
from paas.loans.lending import repay
from paas.loans.models import PolicyLoan
from paas.policies import terms
from paas.presale import examples

PAAS = Path(__file__).resolve().parents[2] / "paas"


def test_a_premium_unpaid_lapses_the_policy_the_day_after_its_60_days_of_grace():
    due = date(2026, 1, 31)
    assert terms.grace_ends(due) == date(2026, 4, 1)
    assert terms.lapse_date(due) == date(2026, 4, 2)
    assert terms.due_lapsing_on(date(2026, 4, 2)) == due
    shown = Due(1, "P1", "甲", "A", due, Decimal("100.00"), None)
    assert (shown.grace_ends, shown.lapses_on) == (terms.grace_ends(due), terms.lapse_date(due))
    assert examples.grace_period_end(due) == terms.grace_ends(due) and examples.GRACE_DAYS == terms.GRACE_DAYS


def _loan(balance: str, principal: str) -> PolicyLoan:
    return PolicyLoan(policy_id=1, principal=Decimal(principal), balance=Decimal(balance), interest_rate=Decimal("0.05"),
                      taken_on=date(2025, 1, 1), interest_to=date(2026, 1, 1), status="open")


def test_repaying_pays_the_interest_first_and_closes_a_loan_with_nothing_owing():
    loan = _loan("1050.00", "1000.00")
    part = repay(loan, date(2026, 1, 1), Decimal("80.00"))
    assert (part.interest, part.principal, loan.principal, loan.balance, loan.status) == (
        Decimal("50.00"), Decimal("30.00"), Decimal("970.00"), Decimal("970.00"), "open")
    rest = repay(loan, date(2026, 1, 1), Decimal("5000.00"))  # more than is owed: what is owed
    assert (rest.amount, loan.balance, loan.principal, loan.status) == (Decimal("970.00"), 0, 0, "repaid")


def test_repaying_all_capitalises_the_interest_to_the_day():
    loan = _loan("1000.00", "1000.00")
    repaid = repay(loan, date(2027, 1, 1))
    assert repaid.amount > Decimal("1000.00") and repaid.interest == repaid.amount - Decimal("1000.00")
    assert (loan.balance, loan.status, loan.interest_to) == (0, "repaid", date(2027, 1, 1))


def test_no_other_module_closes_a_loan_or_works_out_a_lapse_date():
    closing = re.compile(r"""(status\s*=\s*"repaid"|,\s*"repaid"$|timedelta\(days=GRACE_DAYS)""", re.M)
    found = sorted(str(path.relative_to(PAAS)) for path in PAAS.rglob("*.py")
                   if closing.search(path.read_text(encoding="utf-8")))
    assert found == ["loans/lending.py", "policies/terms.py"]
