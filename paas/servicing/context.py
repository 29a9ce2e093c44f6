"""Loading a policy for servicing: found by number for whoever asks (owner, or a clerk
acting for the customer), locked, and valued today."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.claims.models import OPEN_STATUSES as CLAIM_OPEN_STATUSES
from paas.claims.models import Claim
from paas.customers.models import Customer
from paas.errors import N_, NotFound, NotPermitted
from paas.numbering import POLICY_NUMBER
from paas.policies.facts import FACT_COLUMNS, facts_from, with_facts
from paas.policies.models import Policy
from paas.policies.valuation import cover_of, value_policy
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR
from paas.servicing.base import PolicyContext

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

POLICY_NOT_FOUND = N_("We could not find policy %(number)s among your policies.")
ACTING_ROLES = (CLERK, SUPERVISOR)


def find_policy_id(uow: "UnitOfWork", who: Principal, policy_number: str) -> int:
    number = POLICY_NUMBER.normalise(policy_number)
    query = select(Policy.id).where(Policy.policy_number == number)
    if who.is_staff:
        if who.role not in ACTING_ROLES:
            raise NotPermitted(N_("Only servicing clerks act for customers."))
    else:
        query = query.where(Policy.owner_id == who.customer_id)
    policy_id = uow.session.scalar(query) if number else None
    if policy_id is None:
        raise NotFound(POLICY_NOT_FOUND, number=(policy_number or "")[:20])
    return policy_id


def load_context(uow: "UnitOfWork", policy_id: int, *, lock: bool = True) -> PolicyContext:
    """Lock the policy row first: whatever is checked or changed next sees no concurrent
    change to this policy until the transaction ends."""
    query = select(Policy).where(Policy.id == policy_id)
    policy = uow.session.execute(query.with_for_update() if lock else query).scalar_one()
    today = uow.clock.today()
    row = uow.session.execute(with_facts(select(*FACT_COLUMNS)).where(Policy.id == policy_id), {"today": today}).one()
    facts = facts_from(row)
    customer = uow.session.get(Customer, policy.owner_id)
    open_claim = uow.session.scalar(
        select(Claim.id).where(Claim.policy_id == policy_id, Claim.status.in_(CLAIM_OPEN_STATUSES)).limit(1)
    ) is not None
    return PolicyContext(policy, customer, facts, value_policy(facts, today), cover_of(facts), today, open_claim)
