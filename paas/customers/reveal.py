"""Revealing one masked field to a staff member who states why. Every reveal is audited
with the reason; nothing is revealed without one."""
from __future__ import annotations

from typing import TYPE_CHECKING

from paas.audit import chain
from paas.customers.overview import load_customer
from paas.customers.registry import BANK_ACCOUNT_CONTEXT, ID_NUMBER_CONTEXT
from paas.customers.search import require_staff
from paas.errors import N_, InvalidInput, NotFound
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

REVEALABLE = {
    "id_number": N_("ID number"),
    "mobile": N_("Mobile"),
    "email": N_("E-mail"),
    "address": N_("Address"),
    "bank_account": N_("Bank account"),
}


def reveal_field(
    uow: "UnitOfWork",
    staff: Principal,
    customer_number: str,
    field: str,
    reason: str,
    *,
    bank_account: int | None = None,
    address: str | None = None,
) -> str:
    require_staff(staff)
    if field not in REVEALABLE:
        raise InvalidInput(N_("This field cannot be revealed."), field="field")
    reason = checked_reason(uow, reason)
    customer = load_customer(uow, customer_number)
    keyring = uow.keyring
    if field == "id_number":
        value = keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT)
    elif field == "bank_account":
        accounts = customer.bank_accounts  # ordered as the 360 view lists them
        if bank_account is None or not 1 <= bank_account <= len(accounts):
            raise NotFound(N_("No such bank account for this customer."))
        value = keyring.decrypt(accounts[bank_account - 1].account_cipher, context=BANK_ACCOUNT_CONTEXT)
    else:
        value = getattr(customer, field) or ""
    detail = {"field": field, "reason": reason}
    if field == "bank_account":
        detail["bank_account"] = bank_account
    chain.record(uow, staff.actor, "pii.revealed", subject=f"customer:{customer.customer_number}", detail=detail, address=address)
    return value


def checked_reason(uow: "UnitOfWork", reason: str | None) -> str:
    """The reason a staff member gave for a reveal, tidied; refused when too short to mean anything."""
    reason = " ".join((reason or "").split())
    minimum = uow.platform.security.reveal_reason_min_length
    if len(reason) < minimum:
        raise InvalidInput(
            N_("Say why you need to see this (at least %(count)s characters)."), field="reason", count=minimum
        )
    if len(reason) > 300:
        raise InvalidInput(N_("Keep the reason under %(count)s characters."), field="reason", count=300)
    return reason
