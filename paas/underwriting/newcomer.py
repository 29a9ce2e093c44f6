"""A registered visitor applying for the first time becomes a customer when they start an
application: their own name, sex, date of birth and ID number (kept encrypted like every
customer's) with the mobile they registered with, and their account is linked to the record so
the policy, once issued, is on their asset sheet. An ID number we already know is refused
without saying whose it is: that person opens online service with their policy instead."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from paas.audit import chain
from paas.customers.identity import normalise_resident_id
from paas.customers.registry import ID_NUMBER_CONTEXT, NewCustomer, customer_with_id_number, register_customer
from paas.errors import N_, InvalidInput, NotPermitted
from paas.field_checks import FieldChecks
from paas.products.eligibility import check_birth_date
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

OWNER_FIELDS = ("owner_name", "owner_gender", "owner_birth_date", "owner_id_number")
NAME = N_("Give your name as on your ID card.")
GENDER = N_("Choose male or female.")
BIRTH = N_("Give your date of birth as YYYY-MM-DD.")
MISMATCH = N_("The ID number's birth date is not the date of birth given.")
KNOWN = N_("This ID number is already with us. Please open online service with your policy instead of "
           "registering, then apply from your account.")
VISITORS_ONLY = N_("Applying online needs a customer account.")


def _birth(text: str, today: date) -> date:
    try:
        born = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(BIRTH, field="owner_birth_date") from None
    try:
        check_birth_date(born, today)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="owner_birth_date", **error.params) from None
    return born


def _id_number(text: str, born: date | None) -> str:
    try:
        number = normalise_resident_id(text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="owner_id_number", **error.params) from None
    if born is not None and number[6:14] != born.strftime("%Y%m%d"):
        raise InvalidInput(MISMATCH, field="owner_id_number")
    return number


def become_customer(uow: "UnitOfWork", who: Principal, raw: Mapping[str, Any]) -> Principal:
    """The visitor as a customer (idempotent: an account already linked is returned as it is)."""
    if who.is_staff:
        raise NotPermitted(VISITORS_ONLY)
    account = uow.session.scalar(select(Account).where(Account.id == who.account_id).with_for_update())
    if account.customer_id is not None:
        return replace(who, customer_id=account.customer_id)
    values = {name: " ".join(str(raw.get(name) or "").split())[:60] for name in OWNER_FIELDS}
    checks = FieldChecks()
    if not values["owner_name"]:
        checks.refuse(NAME, "owner_name")
    if values["owner_gender"] not in ("M", "F"):
        checks.refuse(GENDER, "owner_gender")
    born = checks(_birth, values["owner_birth_date"], uow.clock.today())
    number = checks(_id_number, values["owner_id_number"], born)
    checks.done()
    assert born is not None and number is not None
    index = uow.keyring.blind_index(number, context=ID_NUMBER_CONTEXT)
    if customer_with_id_number(uow, index) is not None:
        chain.record(uow, who.actor, "application.known_id_refused", subject=f"account:{account.id}")
        raise InvalidInput(KNOWN, field="owner_id_number")
    customer = register_customer(uow, NewCustomer(values["owner_name"], values["owner_gender"], born, number,
                                                  mobile=account.mobile))
    # Greeted by name from now on, as when enrolment links a visitor's account to a record.
    account.customer_id, account.display_name = customer.id, customer.name
    chain.record(uow, who.actor, "customer.created_by_applicant", subject=f"customer:{customer.customer_number}",
                 detail={"account": account.id})
    return replace(who, customer_id=customer.id, display_name=customer.name)
