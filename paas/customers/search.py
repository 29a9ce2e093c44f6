"""Staff finding a customer by policy number, customer number, mobile or ID number.
Only exact matches: a console is not a way to browse people."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from paas.audit import chain
from paas.customers.identity import looks_like_resident_id, normalise_mobile, normalise_resident_id
from paas.customers.masking import mask_mobile
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.errors import N_, InvalidInput, NotPermitted
from paas.numbering import CUSTOMER_NUMBER, POLICY_NUMBER
from paas.policies.models import Policy
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

STAFF_ONLY = N_("This is for staff only.")


@dataclass(frozen=True)
class CustomerMatch:
    customer_number: str
    name: str
    mobile_masked: str
    policies_owned: int


def require_staff(principal: Principal | None) -> Principal:
    if principal is None or not principal.is_staff:
        raise NotPermitted(STAFF_ONLY)
    return principal


def find_customers(uow: "UnitOfWork", staff: Principal, query: str) -> list[CustomerMatch]:
    require_staff(staff)
    text = (query or "").strip()
    if not text or len(text) > 40:
        raise InvalidInput(N_("Search by policy number, customer number, mobile or ID number."), field="q")
    kind, condition = _condition_for(uow, text)
    owned = (
        select(func.count(Policy.id)).where(Policy.owner_id == Customer.id).correlate(Customer).scalar_subquery()
    )
    rows = uow.session.execute(
        select(Customer.customer_number, Customer.name, Customer.mobile, owned)
        .where(condition)
        .order_by(Customer.customer_number)
        .limit(20)
    ).all()
    chain.record(uow, staff.actor, "customer.searched", detail={"by": kind, "matches": len(rows)})
    return [CustomerMatch(number, name, mask_mobile(mobile), count) for number, name, mobile, count in rows]


def _condition_for(uow: "UnitOfWork", text: str):
    policy_number = POLICY_NUMBER.normalise(text)
    if policy_number:
        holders = select(Policy.owner_id).where(Policy.policy_number == policy_number)
        insureds = select(Policy.insured_id).where(Policy.policy_number == policy_number)
        return "policy_number", or_(Customer.id.in_(holders), Customer.id.in_(insureds))
    customer_number = CUSTOMER_NUMBER.normalise(text)
    if customer_number:
        return "customer_number", Customer.customer_number == customer_number
    if looks_like_resident_id(text):
        id_number = normalise_resident_id(text)
        return "id_number", Customer.id_number_index == uow.keyring.blind_index(id_number, context=ID_NUMBER_CONTEXT)
    if text[:1].upper() in ("P", "C") and any(ch.isdigit() for ch in text):
        raise InvalidInput(N_("That policy or customer number is not valid; please check the digits."), field="q")
    try:
        return "mobile", Customer.mobile == normalise_mobile(text)
    except InvalidInput as exc:
        raise InvalidInput(N_("Search by policy number, customer number, mobile or ID number."), field="q") from exc
