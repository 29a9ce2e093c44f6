"""Reminding claimants of missing documents, for the nightly cycle.

A claim still waiting for required documents a week after its last step (reported, more
documents asked for, or the claimant's last upload) raises a ``docsdue:<claim>`` event for
the notices, then again each week while documents are still missing. Not per policy: the
cycle runs it once a night (partition 1 only), in one transaction, like its payment-orders
step; running a day twice raises nothing new (events are unique per policy, kind and date)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.notices.events import last_raised, raise_event
from paas.claims.models import Claim, ClaimEvent
from paas.claims.reporting import missing_documents
from paas.documents.models import Document

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

WAITING_STATUSES = ("reported", "under_review")
EVERY = timedelta(days=7)


REMINDER = "claim_documents_due"


def remind_missing_documents(uow: "UnitOfWork", on: date) -> int:
    """Raise the reminders due on ``on``; returns how many were raised."""
    raised = 0
    for claim in uow.session.scalars(select(Claim).where(Claim.status.in_(WAITING_STATUSES)).order_by(Claim.id)):
        missing = missing_documents(uow, claim)
        if not missing or on - _last_step(uow, claim) < EVERY:
            continue
        last_reminder = last_raised(uow, claim.policy_id, REMINDER, claim.reference)
        if last_reminder is not None and on - last_reminder < EVERY:
            continue
        if raise_event(uow, claim.policy_id, REMINDER, on, {"claim": claim.reference, "missing": missing},
                       reference=claim.reference):
            raised += 1
    return raised


def _last_step(uow: "UnitOfWork", claim: Claim) -> date:
    """The day the claim last moved: its last timeline entry or the claimant's last upload."""
    moved = uow.session.scalar(select(func.max(ClaimEvent.occurred_at)).where(ClaimEvent.claim_id == claim.id))
    uploaded = uow.session.scalar(select(func.max(Document.created_at)).where(Document.subject == f"claim:{claim.reference}"))
    return max(moment.date() for moment in (claim.created_at, moved, uploaded) if moment is not None)
