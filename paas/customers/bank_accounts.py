"""A customer's bank accounts as they manage them: the list (named by place, as every payout
choice names them) and removing one that nothing uses. An account a policy collects premiums
from or a claim pays to stays (a clear message names which), and none is removed while a
servicing request is open: requests name accounts by their place in this list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.claims.models import Claim
from paas.customers.models import BankAccount, Customer
from paas.customers.overview import load_customer
from paas.customers.registry import masked_account_number
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.policies.models import Policy
from paas.security import alerts
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR
from paas.servicing.engine import OPEN
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

ACCOUNT_NOT_FOUND = N_("We could not find bank account %(position)s among your accounts.")
COLLECTS_FOR = N_("This account pays the premiums of policy %(number)s. Choose another way to pay for it first.")
PAYS_CLAIM = N_("Claim %(number)s is paid into this account, so it stays on file.")
REQUEST_OPEN = N_("Request %(reference)s is still open. Finish or cancel it first.")
ONLY_CLERKS = N_("Only servicing clerks remove a customer's bank account.")


@dataclass(frozen=True)
class BankAccountLine:
    position: int
    bank_name: str
    number_masked: str
    added_at: datetime
    verified: bool


def bank_account_lines(uow: "UnitOfWork", customer: Customer) -> list[BankAccountLine]:
    return [BankAccountLine(position, account.bank_name, masked_account_number(uow.keyring, account),
                            account.created_at, account.verified_at is not None)
            for position, account in enumerate(customer.bank_accounts, start=1)]


def remove_own(uow: "UnitOfWork", who: Principal, position: int) -> str:
    """The signed-in customer removes one of their accounts; returns it, masked."""
    if not who.is_policyholder:
        raise NotPermitted(ONLY_CLERKS)
    customer = uow.session.get(Customer, who.customer_id, with_for_update=True)
    return _remove(uow, who, customer, position)


def remove_for_customer(uow: "UnitOfWork", staff: Principal, customer_number: str, position: int) -> str:
    if staff.role not in (CLERK, SUPERVISOR):
        raise NotPermitted(ONLY_CLERKS)
    customer = load_customer(uow, customer_number)
    uow.session.refresh(customer, with_for_update=True)
    return _remove(uow, staff, customer, position)


def _remove(uow: "UnitOfWork", who: Principal, customer: Customer, position: int) -> str:
    accounts = customer.bank_accounts
    if not isinstance(position, int) or not 1 <= position <= len(accounts):
        raise NotFound(ACCOUNT_NOT_FOUND, position=str(position)[:6])
    account = accounts[position - 1]
    _check_unused(uow, customer, account)
    shown = f"{account.bank_name} {masked_account_number(uow.keyring, account)}"
    before = alerts.contacts_of(uow, customer)
    accounts.remove(account)  # deleted with the customer's list (delete-orphan)
    chain.record(uow, who.actor, "customer.bank_account_removed", subject=f"customer:{customer.customer_number}",
                 detail={"account": shown, "on_behalf": who.is_staff})
    alerts.alert(uow, customer, alerts.BANK_ACCOUNT_REMOVED, contacts=before, account=shown)
    return shown


def _check_unused(uow: "UnitOfWork", customer: Customer, account: BankAccount) -> None:
    policy = uow.session.scalar(select(Policy.policy_number).where(Policy.debit_bank_account_id == account.id).limit(1))
    if policy is not None:
        raise InvalidInput(COLLECTS_FOR, field="bank_account", number=policy)
    claim = uow.session.scalar(select(Claim.reference).where(Claim.payee_bank_account_id == account.id).limit(1))
    if claim is not None:
        raise InvalidInput(PAYS_CLAIM, field="bank_account", number=claim)
    request = uow.session.scalar(select(ServiceRequest.reference).where(
        ServiceRequest.customer_id == customer.id, ServiceRequest.status.in_(OPEN)).limit(1))
    if request is not None:
        raise InvalidInput(REQUEST_OPEN, field="bank_account", reference=request)
