"""Money the insurer holds for a policy (accumulated dividends, survival benefits left to
grow): balances and entries. Each entry has a unique reference, so a retried posting is
refused by the database instead of counted twice."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func, select

from paas.insert_once import insert_once
from paas.money import to_fen
from paas.policies.models import PolicyLedgerEntry

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

ACCOUNTS = ("dividends", "survival_benefits")


def credit(uow: "UnitOfWork", policy_id: int, account: str, kind: str, amount: Decimal, on: date, *,
           reference: str) -> bool:
    """Post an entry once; a second posting with the same reference is a no-op (False)."""
    return insert_once(uow.session, PolicyLedgerEntry,
                       **entry(uow, policy_id, account, kind, amount, on, reference=reference))


def entry(uow: "UnitOfWork", policy_id: int, account: str, kind: str, amount: Decimal, on: date, *,
          reference: str) -> dict:
    """The row ``credit`` posts, for a caller that posts it in a statement of its own (with the
    payout it pays: ``paas.servicing.payout.record_payout``'s ``entry``); posted once all the same."""
    if account not in ACCOUNTS:
        raise ValueError(f"unknown ledger account {account!r}")
    uow.require_transaction("the policy ledger")
    return {"policy_id": policy_id, "account": account, "kind": kind, "entry_date": on, "amount": to_fen(amount),
            "reference": reference, "created_at": uow.clock.now()}


# Built once (a withdrawal reads the live balance twice: when asked and when confirmed).
_BALANCE = select(func.coalesce(func.sum(PolicyLedgerEntry.amount), 0)).where(
    PolicyLedgerEntry.policy_id == bindparam("policy_id"), PolicyLedgerEntry.account == bindparam("account"))
_BALANCE_BEFORE = _BALANCE.where(PolicyLedgerEntry.entry_date < bindparam("before"))


def balance(uow: "UnitOfWork", policy_id: int, account: str, *, before: date | None = None) -> Decimal:
    params = {"policy_id": policy_id, "account": account}
    if before is None:
        held = uow.session.scalar(_BALANCE, params)
    else:
        held = uow.session.scalar(_BALANCE_BEFORE, {**params, "before": before})
    return to_fen(Decimal(str(held)))


def credit_interest(uow: "UnitOfWork", policy_id: int, account: str, rate: Decimal, on: date, *, reference: str) -> None:
    """A year's interest on the balance held before ``on`` (posted at a policy anniversary;
    anything credited on the anniversary itself earns from then on)."""
    held = balance(uow, policy_id, account, before=on)
    if held > 0:
        credit(uow, policy_id, account, "interest", held * rate, on, reference=reference)
