"""Registering customers and their bank accounts, with personal data encrypted at rest."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select, text

from paas.customers.masking import mask_account_number
from paas.customers.identity import normalise_email, normalise_mobile, normalise_resident_id
from paas.customers.models import BankAccount, Customer
from paas.errors import N_, InvalidInput
from paas.numbering import CUSTOMER_NUMBER, allocate

if TYPE_CHECKING:
    from iaas.keyring import KeyRing
    from paas.unit_of_work import UnitOfWork

ID_NUMBER_CONTEXT = "customer.id_number"
BANK_ACCOUNT_CONTEXT = "bank_account.number"


@dataclass(frozen=True)
class NewCustomer:
    name: str
    gender: str
    birth_date: date
    id_number: str
    mobile: str | None = None
    email: str | None = None
    address: str | None = None


def customer_with_id_number(uow: "UnitOfWork", index: str) -> int | None:
    """The customer holding the ID number whose blind index is ``index``, asked under a lock on
    that number held to the end of the transaction (PostgreSQL): two people registering the
    same number at the same instant are answered one after the other, so only one record is
    made. (SQLite has one writer at a time: the second waits, then finds the first.)"""
    connection = uow.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_ID_NUMBER, {"key": int(index[:15], 16)})
    return uow.session.scalar(select(Customer.id).where(Customer.id_number_index == index).limit(1))


_LOCK_ID_NUMBER = text("SELECT pg_advisory_xact_lock(:key)")  # 60 bits of the index: a bigint


def register_customer(uow: "UnitOfWork", new: NewCustomer) -> Customer:
    name = (new.name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(N_("Give the customer's name (at most 100 characters)."), field="name")
    if new.gender not in ("M", "F"):
        raise InvalidInput(N_("Gender must be M or F."), field="gender")
    id_number = normalise_resident_id(new.id_number)
    keyring = uow.keyring
    customer = Customer(
        customer_number=CUSTOMER_NUMBER.format(allocate(uow.session, "customer")),
        name=name,
        gender=new.gender,
        birth_date=new.birth_date,
        id_type="resident_id",
        id_number_cipher=keyring.encrypt(id_number, context=ID_NUMBER_CONTEXT),
        id_number_index=keyring.blind_index(id_number, context=ID_NUMBER_CONTEXT),
        mobile=normalise_mobile(new.mobile) if new.mobile else None,
        email=normalise_email(new.email) if new.email else None,
        address=(new.address or "").strip()[:300] or None,
        created_at=uow.clock.now(),
    )
    uow.session.add(customer)
    uow.session.flush()
    return customer


def masked_account_number(keyring: "KeyRing", account: BankAccount) -> str:
    """The account's number as any screen, event or notice may show it: the last four digits."""
    return mask_account_number(keyring.decrypt(account.account_cipher, context=BANK_ACCOUNT_CONTEXT))


def account_digits(account_number: str) -> str:
    """A typed bank account number as its digits: 12 to 19 of them, spaces allowed between."""
    digits = "".join(ch for ch in account_number if not ch.isspace())
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise InvalidInput(N_("A bank account number has 12 to 19 digits."), field="account_number")
    return digits


def add_bank_account(uow: "UnitOfWork", customer: Customer, *, bank_name: str, account_number: str,
                     verified: bool = False) -> BankAccount:
    """``verified``: proven the customer's (at the counter, by the bank-card check). One typed
    in online is not, and payouts to it are held for a while (paas.servicing.payee_hold)."""
    digits = account_digits(account_number)
    keyring = uow.keyring
    account = BankAccount(
        customer=customer,
        bank_name=bank_name.strip()[:100],
        holder_name=customer.name,
        account_cipher=keyring.encrypt(digits, context=BANK_ACCOUNT_CONTEXT),
        account_index=keyring.blind_index(digits, context=BANK_ACCOUNT_CONTEXT),
        created_at=uow.clock.now(),
        verified_at=uow.clock.now() if verified else None,
    )
    uow.session.add(account)
    return account
