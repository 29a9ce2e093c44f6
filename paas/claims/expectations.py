"""What a claimant can expect: the steps still ahead with the dates they are due by, and how
the benefit is made up. The time limits are the Insurance Law's (保险法 art. 23): a decision
within 30 days of having every document, and payment within 10 days of the decision."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from paas.claims.models import OPEN_STATUSES, Claim
from paas.claims.rules import BenefitBreakdown, benefit_breakdown
from paas.errors import N_
from paas.servicing.context import load_context

if TYPE_CHECKING:
    from paas.claims.views import ClaimView
    from paas.unit_of_work import UnitOfWork

DECISION_DAYS = 30
PAYMENT_DAYS = 10

DOCUMENTS_STEP = N_("Every document received")
DECISION_STEP = N_("Decision")
PAYMENT_STEP = N_("Payment into your account")


@dataclass(frozen=True)
class ExpectedStep:
    label: str  # message id
    done_on: date | None  # when it happened
    due_by: date | None  # the latest date it is due, once it can be known
    waiting_for_you: bool = False  # it waits for the claimant (documents still missing)


@dataclass(frozen=True)
class ClaimOutlook:
    steps: tuple[ExpectedStep, ...]
    breakdown: BenefitBreakdown | None  # what the policy pays today for this claim, while it is open
    decision_days: int = DECISION_DAYS
    payment_days: int = PAYMENT_DAYS


def outlook(uow: "UnitOfWork", claim: Claim, view: "ClaimView") -> ClaimOutlook:
    """The steps from report to payment, each done (with its date) or due by a date."""
    decided = next((line.occurred_at.date() for line in view.timeline if line.status in ("approved", "declined")), None)
    paid = next((line.occurred_at.date() for line in view.timeline if line.status == "paid"), None)
    complete = max((d.uploaded_at.date() for d in view.documents), default=None) if not view.missing else None
    if decided is not None and complete is None:
        complete = decided  # decided on what we had (an adjuster may waive a document)
    decision_due = complete + timedelta(days=DECISION_DAYS) if complete else None
    steps = [
        ExpectedStep(DOCUMENTS_STEP, complete, None, waiting_for_you=complete is None),
        ExpectedStep(DECISION_STEP, decided, None if decided else decision_due),
    ]
    if claim.status != "declined":
        steps.append(ExpectedStep(PAYMENT_STEP, paid, None if paid else
                                  (decided + timedelta(days=PAYMENT_DAYS) if decided else None)))
    breakdown = None
    if claim.status in OPEN_STATUSES:
        ctx = load_context(uow, claim.policy_id, lock=False)
        breakdown = benefit_breakdown(claim.kind, ctx.cover, ctx.valuation, status=ctx.policy.status,
                                      paid_up_additions=ctx.policy.paid_up_additions)
    return ClaimOutlook(tuple(steps), breakdown)
