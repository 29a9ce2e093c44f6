"""What the claimant and the adjusters see of claims (query 7): lists, timelines,
documents supplied and missing, and the decision in plain words."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from iaas.bulk_rows import DIALECTS, one_of
from paas.audit import chain
from paas.claims.adjusting import ADJUSTERS_ONLY, load_for_staff
from paas.claims.authority import CLAIM_ROLES
from paas.claims.expectations import ClaimOutlook, outlook
from paas.claims.models import OPEN_STATUSES, Claim
from paas.claims.payee import payee_label
from paas.claims.reporting import missing_documents, own_claim
from paas.documents.models import Document
from paas.documents.uploads import Download, download, read
from paas.errors import N_, NotFound, NotPermitted
from paas.policies.models import Policy
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

STATUS_LABELS = {
    "reported": N_("Reported"),
    "under_review": N_("Being reviewed"),
    "awaiting_second_approval": N_("Awaiting a second approval"),
    "approved": N_("Approved"),
    "paid": N_("Paid"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}


@dataclass(frozen=True)
class TimelineLine:
    status: str
    note: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class DocumentLine:
    reference: str
    document_type: str
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime


@dataclass(frozen=True)
class ClaimView:
    reference: str
    policy_number: str
    kind: str
    status: str
    incident_date: date
    claimant_name: str
    reported_at: datetime
    approved_amount: Decimal | None
    decision_reason: str | None
    timeline: tuple[TimelineLine, ...]
    documents: tuple[DocumentLine, ...]
    missing: tuple[str, ...]
    facts: str | None = None  # only for adjusters
    payee: str | None = None  # bank and masked number; on the claim's own page
    outlook: "ClaimOutlook | None" = None  # the claimant's: steps ahead and the benefit's make-up
    payout_hold_until: datetime | None = None  # approved, paid to a new payee: the payment goes then


def _view(uow: "UnitOfWork", claim: Claim, *, with_facts: bool) -> ClaimView:
    number = uow.session.scalar(select(Policy.policy_number).where(Policy.id == claim.policy_id))
    documents = uow.session.scalars(select(Document).where(Document.subject == f"claim:{claim.reference}")
                                    .order_by(Document.id))
    return ClaimView(
        claim.reference, number, claim.kind, claim.status, claim.incident_date, claim.claimant_name, claim.created_at,
        claim.approved_amount, claim.decision_reason,
        tuple(TimelineLine(e.status, e.note, e.occurred_at) for e in claim.timeline),
        tuple(DocumentLine(d.reference, d.purpose, d.filename, d.content_type, d.size, d.created_at) for d in documents),
        tuple(missing_documents(uow, claim)),
        uow.keyring.decrypt(claim.facts_cipher, context="claim.facts") if with_facts else None,
        payout_hold_until=claim.payout_hold_until if claim.status == "approved" else None,
    )


@dataclass(frozen=True)
class ClaimStatusLine:
    """A claim as a line of an SMS says it: its reference, its policy, where it stands."""

    reference: str
    policy_number: str
    status: str


# Built once per dialect: the SMS CLAIM command reads it, for a batch's senders at once.
_STATUS_LINES = {dialect: select(Claim.customer_id, Claim.reference, Policy.policy_number, Claim.status)
                 .join(Policy, Policy.id == Claim.policy_id)
                 .where(one_of(Claim.customer_id, "customer_ids", dialect)).order_by(Claim.id.desc())
                 for dialect in DIALECTS}


def claim_statuses_of(uow: "UnitOfWork", customer_ids: set[int]) -> dict[int, list[ClaimStatusLine]]:
    """Each customer's claims, newest first, as ``my_claims`` lists them but only the reference,
    policy and status: one query for several customers (a batch of SMS queries)."""
    lines: dict[int, list[ClaimStatusLine]] = {customer_id: [] for customer_id in customer_ids}
    if not customer_ids:
        return lines
    connection = uow.flushed_connection()  # a claim reported in this unit counts
    for row in connection.execute(_STATUS_LINES[connection.dialect.name], {"customer_ids": sorted(customer_ids)}):
        lines[row.customer_id].append(ClaimStatusLine(row.reference, row.policy_number, row.status))
    return lines


def my_claims(uow: "UnitOfWork", who: Principal) -> list[ClaimView]:
    claims = uow.session.scalars(select(Claim).where(Claim.customer_id == who.customer_id).order_by(Claim.id.desc()))
    return [_view(uow, c, with_facts=False) for c in claims]


def claim_for_claimant(uow: "UnitOfWork", who: Principal, reference: str) -> ClaimView:
    claim = own_claim(uow, who, reference)
    view = _view(uow, claim, with_facts=True)
    return replace(view, payee=payee_label(uow, claim), outlook=None if claim.status == "withdrawn" else outlook(uow, claim, view))


def claim_for_staff(uow: "UnitOfWork", staff: Principal, reference: str) -> ClaimView:
    claim = load_for_staff(uow, staff, reference, lock=False)
    # The facts are health data, decrypted for this adjuster: the view is audited.
    chain.record(uow, staff.actor, "claim.viewed", subject=f"claim:{claim.reference}")
    return _view(uow, claim, with_facts=True)


@dataclass(frozen=True)
class QueueLine:
    reference: str
    kind: str
    status: str
    reported_on: date
    age_days: int
    approved_amount: Decimal | None


def queue(uow: "UnitOfWork", staff: Principal) -> list[QueueLine]:
    """Open claims, oldest first (the adjuster's worklist)."""
    if not staff.is_staff or staff.role not in CLAIM_ROLES:
        raise NotPermitted(ADJUSTERS_ONLY)
    today = uow.clock.today()
    claims = uow.session.scalars(select(Claim).where(Claim.status.in_(OPEN_STATUSES)).order_by(Claim.created_at))
    return [QueueLine(c.reference, c.kind, c.status, c.created_at.date(), (today - c.created_at.date()).days,
                      c.approved_amount) for c in claims]


def document_for(uow: "UnitOfWork", who: Principal, claim_reference: str, document_reference: str) -> tuple[Document, bytes]:
    """A claim document, for the claimant or an adjuster only; anyone else: not found."""
    document = _claim_document(uow, who, claim_reference, document_reference)
    return read(uow, document.customer_id, document.reference)


def download_for(uow: "UnitOfWork", who: Principal, claim_reference: str, document_reference: str) -> Download:
    """The claimant's download of a claim document: a presigned link where the store gives one."""
    return download(uow, _claim_document(uow, who, claim_reference, document_reference))


def _claim_document(uow: "UnitOfWork", who: Principal, claim_reference: str, document_reference: str) -> Document:
    claim = (load_for_staff(uow, who, claim_reference, lock=False) if who.is_staff
             else own_claim(uow, who, claim_reference))
    document = uow.session.scalar(select(Document).where(Document.reference == (document_reference or "")[:24],
                                                         Document.subject == f"claim:{claim.reference}"))
    if document is None:
        raise NotFound(N_("We could not find that document."))
    if who.is_staff:
        chain.record(uow, who.actor, "document.viewed", subject=f"claim:{claim.reference}",
                     detail={"document": document.reference})
    return document
