"""Moving a policy loan on: interest capitalised to a date, and more lent on the open loan
(a policy has one open loan; borrowing again adds to it after capitalising)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from paas.loans.models import PolicyLoan
from paas.products.values import loan_interest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def capitalise(loan: PolicyLoan, on: date) -> Decimal:
    """Add the interest accrued since ``interest_to`` to the balance; returns it (zero if the
    interest is already capitalised to ``on``, so a repeat does nothing)."""
    if loan.interest_to >= on:
        return Decimal("0.00")
    interest = loan_interest(loan.balance, loan.interest_rate, loan.interest_to, on)
    loan.balance += interest
    loan.interest_to = on
    return interest


def lend(uow: "UnitOfWork", policy_id: int, loan: PolicyLoan | None, amount: Decimal, rate: Decimal,
         on: date) -> PolicyLoan:
    """Lend ``amount`` on ``on``: on the open loan ``loan`` if there is one, else on a new
    loan at ``rate`` with interest from ``on``."""
    if loan is None:
        loan = PolicyLoan(policy_id=policy_id, principal=amount, interest_rate=rate, taken_on=on, interest_to=on,
                          balance=amount, status="open", created_at=uow.clock.now())
        uow.session.add(loan)
        return loan
    capitalise(loan, on)
    loan.principal += amount
    loan.balance += amount
    return loan
