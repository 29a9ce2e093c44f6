"""Collecting money from the customer by direct debit from one of their own bank accounts
(top-up, loan repayment, reinstatement). The step-up code the customer types is their
authority for the debit; the debit itself runs through the bank file, outside the request."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from paas.notices.events import raise_event
from paas.customers.registry import masked_account_number
from paas.errors import N_, InvalidInput
from paas.servicing.base import PolicyContext
from paas.servicing.payout import check_payout_account

NO_DEBIT_ACCOUNT = N_("Add a bank account first: we collect by direct debit from your own account.")


def check_debit_account(uow, ctx: PolicyContext, raw: Any) -> int:
    if not ctx.customer.bank_accounts:
        raise InvalidInput(NO_DEBIT_ACCOUNT, field="bank_account")
    return check_payout_account(uow, ctx, raw)


def record_collection(uow, ctx: PolicyContext, amount: Decimal, position: int, reference: str, purpose: str) -> None:
    """Raise the direct debit for the payments team (and the receipt notice), once per request."""
    account = ctx.customer.bank_accounts[position - 1]
    raise_event(uow, ctx.policy.id, "collection", ctx.today,
                {"amount": str(amount), "purpose": purpose, "bank": account.bank_name,
                 "account": masked_account_number(uow.keyring, account)}, reference=reference)
