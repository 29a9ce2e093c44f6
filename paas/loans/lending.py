"""Moving a policy loan on: interest capitalised to a date, more lent on the open loan (a
policy has one open loan; borrowing again adds to it after capitalising), and repaying it -
the one way a loan is settled, whether by the customer, a surrender, a reinstatement, a
claim or a maturity."""
from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Repaid:
    amount: Decimal  # interest first, then principal
    interest: Decimal

    @property
    def principal(self) -> Decimal:
        return self.amount - self.interest


def repay(loan: PolicyLoan, on: date, amount: Decimal | None = None) -> Repaid:
    """Repay ``amount`` of the loan on ``on`` (None, or more than is owed: all of it). The
    interest to ``on`` is capitalised first and paid off before the principal; a loan with
    nothing left owing is closed (repaid)."""
    capitalise(loan, on)
    paid = loan.balance if amount is None else min(max(amount, Decimal("0.00")), loan.balance)
    interest = min(paid, loan.balance - loan.principal)
    loan.principal -= paid - interest
    loan.balance -= paid
    if loan.balance == 0:
        loan.status = "repaid"
    return Repaid(paid, interest)


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
