"""Crediting the premiums missed while a policy was lapsed, as it is reinstated (复效).
``credit_premium`` rightly refuses a lapsed policy; this is the one path that credits one,
and only together with bringing it back in force."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import Actor
from paas.billing.crediting import CreditRefused
from paas.notices.events import raise_event
from paas.policies.models import Policy, PremiumPayment
from paas.policies.schedule import next_due_after
from paas.policies.terms import IN_FORCE, LAPSED

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

# The premium ledger's kind for dues paid on reinstatement (the column holds 12 characters).
REINSTATED = "reinstated"


def missed_dues(policy: Policy, on: date) -> list[date]:
    """Every due from the paid-to date up to and including ``on``, while premiums run."""
    dues, due = [], policy.paid_to_date
    while due <= on and (policy.premium_end_date is None or due < policy.premium_end_date):
        dues.append(due)
        due = next_due_after(policy.issue_date, policy.premium_mode, due)
    return dues


def credit_reinstatement(uow: "UnitOfWork", policy: Policy, *, channel: str, reference: str, actor: Actor) -> list[date]:
    """Credit each missed due (kind ``reinstated``), move the paid-to date past today and put
    the policy back in force. The caller holds the policy's row lock and has collected the
    arrears; returns the dues credited."""
    if policy.status != LAPSED:
        raise CreditRefused(f"policy {policy.policy_number} is {policy.status}, not lapsed")
    today = uow.clock.today()
    dues = missed_dues(policy, today)
    paid = set(uow.session.scalars(select(PremiumPayment.due_date).where(PremiumPayment.policy_id == policy.id,
                                                                          PremiumPayment.due_date.in_(dues))))
    for due in dues:
        if due not in paid:  # the ledger has one credit per due, however settled
            uow.session.add(PremiumPayment(policy_id=policy.id, due_date=due, amount=policy.modal_premium, paid_on=today,
                                           channel=channel, kind=REINSTATED, reference=reference))
    if dues:
        policy.paid_to_date = next_due_after(policy.issue_date, policy.premium_mode, dues[-1])
        if policy.premium_end_date is not None:
            policy.paid_to_date = min(policy.paid_to_date, policy.premium_end_date)
    policy.status, policy.status_date = IN_FORCE, today
    policy.version += 1
    detail = {"dues": [due.isoformat() for due in dues], "premium": str(policy.modal_premium), "reference": reference}
    raise_event(uow, policy.id, "reinstated", today, detail)
    chain.record(uow, actor, "premium.reinstated", subject=f"policy:{policy.policy_number}", detail=detail)
    return dues
