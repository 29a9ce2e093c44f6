"""Where a claim's benefit is paid, as people see it: the bank and the account number masked."""
from __future__ import annotations

from typing import TYPE_CHECKING

from paas.claims.models import Claim
from paas.customers.models import BankAccount
from paas.customers.registry import masked_account_number

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def payee_label(uow: "UnitOfWork", claim: Claim) -> str:
    account = uow.session.get(BankAccount, claim.payee_bank_account_id)
    return f"{account.bank_name} {masked_account_number(uow.keyring, account)}"
