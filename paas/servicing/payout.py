"""Paying money out to the customer: into one of their own bank accounts on file, named by
its place in their list (staff and customers never handle internal ids)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from paas.insert_once import insert_both_once, insert_once
from paas.notices.events import event_row, raise_event
from paas.notices.models import PolicyEvent
from paas.policies.models import PolicyLedgerEntry
from paas.customers.registry import masked_account_number
from paas.errors import N_, InvalidInput
from paas.servicing.base import PolicyContext

if TYPE_CHECKING:
    from paas.customers.models import Customer

NO_BANK_ACCOUNT = N_("Add a bank account first: money is only paid into your own account.")
CHOOSE_ACCOUNT = N_("Choose one of your bank accounts.")
PAID_BACK_THE_WAY_PAID = N_("the card or account the premiums were paid from")


@dataclass(frozen=True)
class PayoutChoice:
    position: int
    bank_name: str
    number_masked: str


def payout_choices(uow, ctx: PolicyContext) -> list[PayoutChoice]:
    return [
        PayoutChoice(position, account.bank_name, masked_account_number(uow.keyring, account))
        for position, account in enumerate(ctx.customer.bank_accounts, start=1)
    ]


def check_payout_account(uow, ctx: PolicyContext, raw: Any) -> int:
    accounts = ctx.customer.bank_accounts
    if not accounts:
        raise InvalidInput(NO_BANK_ACCOUNT, field="bank_account")
    text = str(raw or "1").strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= len(accounts):
        raise InvalidInput(CHOOSE_ACCOUNT, field="bank_account")
    return int(text)


def record_payout(uow, ctx: PolicyContext, amount: Decimal, position: int, reference: str, *,
                  entry: dict | None = None) -> None:
    """Raise the payout for the payments team (and the notices); the transfer itself runs
    through the bank file, outside this request. ``entry``: the ledger row it pays from
    (``paas.policies.ledger.entry``), posted in the same round trip."""
    record_payout_to(uow, ctx.policy.id, ctx.customer, amount, position, reference, ctx.today, entry=entry)


def record_payout_to(uow, policy_id: int, customer: "Customer", amount: Decimal, position: int, reference: str,
                     on: date, *, entry: dict | None = None) -> None:
    """The same, outside a request (a partial withdrawal is paid once its units are sold)."""
    account = customer.bank_accounts[position - 1]
    data = {"amount": str(amount), "bank": account.bank_name, "account": masked_account_number(uow.keyring, account)}
    event = event_row(uow, policy_id, "payout", on, data, reference=reference) if entry is not None else None
    if event is not None:
        insert_both_once(uow.session, (PolicyLedgerEntry, entry), (PolicyEvent, event))
        return
    if entry is not None:
        insert_once(uow.session, PolicyLedgerEntry, **entry)
    raise_event(uow, policy_id, "payout", on, data, reference=reference)


def payee_text(uow, ctx: PolicyContext, position: int | None) -> str:
    """Where a payout goes, as an alert or a page may say it (a message id when no account)."""
    if not position:
        return PAID_BACK_THE_WAY_PAID
    account = ctx.customer.bank_accounts[position - 1]
    return f"{account.bank_name} {masked_account_number(uow.keyring, account)}"
