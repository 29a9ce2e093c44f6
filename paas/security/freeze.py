"""A customer's freeze of online money movements: one button to stop anything paying money
out of their policies (or changing where it goes), for whoever holds the password, or a clerk
when the customer calls 95500. Lifting it needs more than the password: a clerk in the console
with a reason, or (later) the enrolment identity check through ``lift_after_identity_check``."""
from __future__ import annotations

from typing import TYPE_CHECKING

from paas.audit import chain
from paas.audit.chain import Actor
from paas.customers.models import Customer
from paas.customers.overview import load_customer
from paas.errors import N_, InvalidInput, NotPermitted
from paas.security import alerts
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

FROZEN = N_("You have frozen online money movements on your policies. Call 95500 or visit a branch to lift it.")
NOT_FROZEN = N_("Online money movements are not frozen.")
LIFT_REASON = N_("Say why the freeze is lifted (how the customer was identified), at least 10 characters.")
ONLY_CLERKS = N_("Only servicing clerks lift a customer's freeze.")
OWN_ONLY = N_("Customers freeze their own money movements; staff use the customer's page in the console.")


def is_frozen(customer: Customer) -> bool:
    return customer.money_frozen_at is not None


def freeze(uow: "UnitOfWork", who: Principal) -> Customer:
    """The signed-in customer freezes their online money movements; freezing twice is once."""
    if not who.is_policyholder:
        raise NotPermitted(OWN_ONLY)
    return _freeze(uow, who, uow.session.get(Customer, who.customer_id, with_for_update=True))


def freeze_for_customer(uow: "UnitOfWork", staff: Principal, customer_number: str) -> Customer:
    """A clerk freezes for a customer who called (the alerts say: call 95500)."""
    if staff.role not in (CLERK, SUPERVISOR):
        raise NotPermitted(ONLY_CLERKS)
    return _freeze(uow, staff, load_customer(uow, customer_number))


def _freeze(uow: "UnitOfWork", who: Principal, customer: Customer) -> Customer:
    if customer.money_frozen_at is None:
        customer.money_frozen_at = uow.clock.now()
        chain.record(uow, who.actor, "security.money_frozen", subject=f"customer:{customer.customer_number}",
                     detail={"on_behalf": who.is_staff})
        alerts.alert(uow, customer, alerts.FREEZE_ON)
    return customer


def lift_by_clerk(uow: "UnitOfWork", staff: Principal, customer_number: str, reason: str) -> Customer:
    if staff.role not in (CLERK, SUPERVISOR):
        raise NotPermitted(ONLY_CLERKS)
    reason = " ".join((reason or "").split())[:300]
    if len(reason) < 10:
        raise InvalidInput(LIFT_REASON, field="reason")
    return _lift(uow, load_customer(uow, customer_number), staff.actor, reason)


def lift_after_identity_check(uow: "UnitOfWork", customer: Customer, check: str) -> Customer:
    """For the enrolment identity check (name, ID number, policy number and a code to the mobile
    on file) once it can lift a freeze: call this after it passed, naming the check."""
    return _lift(uow, customer, Actor("system", None, "identity-check"), check)


def _lift(uow: "UnitOfWork", customer: Customer, actor: Actor, reason: str) -> Customer:
    if customer.money_frozen_at is None:
        raise InvalidInput(NOT_FROZEN)
    customer.money_frozen_at = None
    chain.record(uow, actor, "security.money_unfrozen", subject=f"customer:{customer.customer_number}",
                 detail={"reason": reason})
    alerts.alert(uow, customer, alerts.FREEZE_LIFTED)
    return customer
