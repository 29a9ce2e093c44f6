"""Crediting a premium: once per due, oldest due first, moving the paid-to date on,
bringing a policy in its grace period back in force and, for a unit-linked policy, buying
units with the invested share."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import Actor
from paas.funds.premiums import invest_premium
from paas.notices.events import raise_event
from paas.policies.models import Policy, PremiumPayment
from paas.policies.schedule import next_due_after
from paas.policies.terms import GRACE, IN_FORCE, PREMIUM_STATUSES

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


class CreditRefused(Exception):
    """The premium cannot be credited (not the policy's next due, policy not payable)."""


def credit_premium(
    uow: "UnitOfWork", policy: Policy, due_date: date, amount: Decimal, *, kind: str, channel: str, reference: str,
    actor: Actor,
) -> bool:
    """Credit the premium due on ``due_date``. Returns False if it was already credited
    (a retry, a replayed event): nothing changes then. The caller holds the policy row lock."""
    already = uow.session.scalar(
        select(PremiumPayment.id).where(PremiumPayment.policy_id == policy.id, PremiumPayment.due_date == due_date)
    )
    if already:
        return False
    if policy.status not in PREMIUM_STATUSES:
        raise CreditRefused(f"policy {policy.policy_number} is {policy.status}")
    if due_date != policy.paid_to_date:
        raise CreditRefused(f"{due_date} is not the next premium due of {policy.policy_number} ({policy.paid_to_date})")
    if amount != policy.modal_premium:
        raise CreditRefused(f"{amount} does not match the premium due ({policy.modal_premium})")
    today = uow.clock.today()
    uow.session.add(PremiumPayment(policy_id=policy.id, due_date=due_date, amount=amount, paid_on=today,
                                   channel=channel, kind=kind, reference=reference))
    policy.paid_to_date = next_due_after(policy.issue_date, policy.premium_mode, due_date)
    if policy.premium_end_date is not None:
        policy.paid_to_date = min(policy.paid_to_date, policy.premium_end_date)
    if policy.status == GRACE and policy.paid_to_date > today:
        policy.status, policy.status_date = IN_FORCE, today
    policy.version += 1
    invest_premium(uow, policy, due_date, amount)
    raise_event(uow, policy.id, "premium_received", today, {"due_date": due_date.isoformat(), "amount": str(amount),
                                                            "reference": reference}, reference=due_date.isoformat())
    chain.record(uow, actor, "premium.credited", subject=f"policy:{policy.policy_number}",
                 detail={"due_date": due_date.isoformat(), "amount": str(amount), "kind": kind, "reference": reference})
    return True

