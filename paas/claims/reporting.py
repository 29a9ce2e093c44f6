"""Reporting a claim (报案) and supplying its documents, by the policyholder online."""
from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.notices.events import raise_event
from paas.claims.models import OPEN_STATUSES, Claim, ClaimEvent
from paas.claims.rules import CLAIM_KINDS, COVERED_BY, DOCUMENTS, REQUIRED
from paas.customers.models import BankAccount, Customer
from paas.customers.registry import BANK_ACCOUNT_CONTEXT, account_digits, add_bank_account
from paas.documents import uploads
from paas.documents.models import Document
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.policies.terms import EXPIRED, GRACE, IN_FORCE, MATURED, PAID_UP
from paas.security import freeze, tiers
from paas.security.principal import Principal
from paas.servicing.context import context_for
from paas.field_checks import FieldChecks
from paas.servicing.payout import check_payout_account

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CLAIM_NOT_FOUND = N_("We could not find claim %(reference)s among yours.")
NOT_COVERED = N_("This policy does not cover this kind of claim.")
POLICY_ENDED = N_("This policy was not in force, so it cannot pay this claim.")
DATE_RANGE = N_("The date must be between the policy's start (%(start)s) and today.")
FACTS_LENGTH = N_("Tell us what happened in 10 to 2,000 characters.")
CHOOSE_KIND = N_("Choose what you are claiming for.")
ALREADY_OPEN = N_("A claim of this kind on this policy is already being handled (%(reference)s).")
UNKNOWN_DOCUMENT = N_("This claim does not need that document.")


def statuses_for(kind: str) -> tuple[str, ...]:
    """The policy states in which this kind of claim can be reported."""
    return (MATURED, EXPIRED, IN_FORCE, GRACE) if kind == "maturity" else (IN_FORCE, GRACE, PAID_UP)


def report(uow: "UnitOfWork", who: Principal, policy_number: str, *, kind: str, incident_date: date | None,
           facts: str, claimant_name: str, bank_account: str | None,
           new_bank_account: tuple[str, str] | None = None, checks: FieldChecks | None = None) -> Claim:
    """``new_bank_account`` (bank name, number) pays into an account not yet on file: it is
    added to the customer's accounts (encrypted) instead of choosing one by position.
    Every field at fault is reported at once, with those the caller found (``checks``; an
    ``incident_date`` it could not read is None)."""
    if who.is_staff:
        raise NotPermitted(N_("Claims are reported by the policyholder."))
    checks = checks if checks is not None else FieldChecks()
    ctx = context_for(uow, who, policy_number)
    tiers.check_may_pay_out(uow, who, what="claim", subject=f"policy:{ctx.policy.policy_number}")
    if not kind:
        checks.refuse(CHOOSE_KIND, "kind")
    elif kind not in CLAIM_KINDS or ctx.cover.spec.category not in COVERED_BY[kind]:
        checks.refuse(NOT_COVERED, "kind")
    elif ctx.policy.status not in statuses_for(kind):
        raise NotPermitted(POLICY_ENDED)
    if incident_date is not None and not ctx.policy.issue_date <= incident_date <= ctx.today:
        checks.refuse(DATE_RANGE, "incident_date", start=ctx.policy.issue_date.isoformat())
    facts = (facts or "").strip()
    if not 10 <= len(facts) <= 2000:
        checks.refuse(FACTS_LENGTH, "facts")
    name = " ".join((claimant_name or "").split()) or ctx.customer.name
    if len(name) > 60:
        checks.refuse(N_("Give the claimant's name (at most 60 characters)."), "claimant_name")
    position = checks(check_payout_account, uow, ctx, bank_account) if new_bank_account is None else None
    if new_bank_account is not None:
        checks(_bank_name, new_bank_account[0])
        checks(account_digits, new_bank_account[1] or "")
    checks.done()
    existing = uow.session.scalar(select(Claim.reference).where(
        Claim.policy_id == ctx.policy.id, Claim.kind == kind, Claim.status.in_(OPEN_STATUSES)))
    if existing:
        raise InvalidInput(ALREADY_OPEN, reference=existing)
    if new_bank_account is not None and freeze.is_frozen(ctx.customer):
        raise NotPermitted(freeze.FROZEN)  # a frozen customer's claims are paid only to accounts on file
    payee = (payee_account(uow, ctx.customer, *new_bank_account) if new_bank_account is not None
             else ctx.customer.bank_accounts[position - 1])
    now = uow.clock.now()
    claim = Claim(
        reference="CL" + secrets.token_hex(5).upper(), policy_id=ctx.policy.id, customer_id=ctx.customer.id,
        kind=kind, incident_date=incident_date, facts_cipher=uow.keyring.encrypt(facts, context="claim.facts"),
        claimant_name=name, payee_bank_account_id=payee.id,
        status="reported", created_at=now, updated_at=now,
    )
    claim.timeline.append(ClaimEvent(status="reported", occurred_at=now))
    uow.session.add(claim)
    uow.session.flush()
    raise_event(uow, ctx.policy.id, "claim_reported", ctx.today, {"kind": kind, "status": "reported"},
                reference=claim.reference)
    chain.record(uow, who.actor, "claim.reported", subject=f"claim:{claim.reference}",
                 detail={"kind": kind, "policy": ctx.policy.policy_number, "new_payee_account": new_bank_account is not None})
    return claim


def payee_account(uow: "UnitOfWork", customer: Customer, bank_name: str, account_number: str) -> BankAccount:
    """A new payee account, stored encrypted; a number already on file is used, not stored twice."""
    bank_name = _bank_name(bank_name)
    digits = "".join((account_number or "").split())
    index = uow.keyring.blind_index(digits, context=BANK_ACCOUNT_CONTEXT)
    known = next((a for a in customer.bank_accounts if a.account_index == index), None)
    if known is not None:
        return known
    account = add_bank_account(uow, customer, bank_name=bank_name, account_number=digits)
    uow.session.flush()
    return account


def _bank_name(typed: str) -> str:
    bank_name = " ".join((typed or "").split())
    if not 2 <= len(bank_name) <= 100:
        raise InvalidInput(N_("Give the name of the bank (2 to 100 characters)."), field="bank_name")
    return bank_name


def own_claim(uow: "UnitOfWork", who: Principal, reference: str, *, lock: bool = False) -> Claim:
    query = select(Claim).where(Claim.reference == (reference or "")[:16], Claim.customer_id == who.customer_id)
    claim = uow.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if claim is None or who.is_staff:
        raise NotFound(CLAIM_NOT_FOUND, reference=(reference or "")[:16])
    return claim


def add_document(uow: "UnitOfWork", who: Principal, reference: str, *, document_type: str, filename: str,
                 data: bytes) -> Document:
    claim = own_claim(uow, who, reference, lock=True)
    if claim.status not in ("reported", "under_review"):
        raise InvalidInput(N_("This claim is decided; no more documents are needed."))
    if document_type not in REQUIRED[claim.kind]:
        raise InvalidInput(UNKNOWN_DOCUMENT, field="document_type")
    document = uploads.upload(uow, who, claim.customer_id, purpose=document_type, subject=f"claim:{claim.reference}",
                              filename=filename, data=data)
    chain.record(uow, who.actor, "claim.document_added", subject=f"claim:{claim.reference}",
                 detail={"type": document_type, "sha256": document.sha256})
    return document


def remove_document(uow: "UnitOfWork", who: Principal, reference: str, document_reference: str) -> None:
    """The claimant takes back a document sent by mistake (the wrong file, another person's
    card) while the claim waits for documents or review; once decided, the file stays. The
    audit keeps what was removed (type, name and SHA-256); the stored bytes are shared by
    content, so only the claim's reference to them goes."""
    claim = own_claim(uow, who, reference, lock=True)
    if claim.status not in ("reported", "under_review"):
        raise InvalidInput(N_("This claim is being decided; its documents can no longer be removed."))
    document = uow.session.scalar(select(Document).where(Document.reference == (document_reference or "")[:24],
                                                         Document.subject == f"claim:{claim.reference}"))
    if document is None:
        raise NotFound(N_("We could not find that document."))
    chain.record(uow, who.actor, "claim.document_removed", subject=f"claim:{claim.reference}",
                 detail={"type": document.purpose, "document": document.reference, "filename": document.filename,
                         "sha256": document.sha256})
    uow.session.delete(document)


WITHDRAWABLE = ("reported", "under_review")  # not once an approver has put their name to it


def withdraw(uow: "UnitOfWork", who: Principal, reference: str) -> Claim:
    """The claimant takes a claim back (reported by mistake, settled otherwise) while nobody
    has approved it yet: it leaves the adjusters' queue and no longer blocks servicing."""
    claim = own_claim(uow, who, reference, lock=True)
    if claim.status not in WITHDRAWABLE:
        raise InvalidInput(N_("Only a claim that nobody has approved or decided yet can be withdrawn."))
    now = uow.clock.now()
    claim.status, claim.updated_at = "withdrawn", now
    claim.timeline.append(ClaimEvent(status="withdrawn", note=None, occurred_at=now))
    raise_event(uow, claim.policy_id, "claim_decision", uow.clock.today(), {"status": "withdrawn"},
                reference=claim.reference)
    chain.record(uow, who.actor, "claim.withdrawn", subject=f"claim:{claim.reference}")
    return claim


def missing_documents(uow: "UnitOfWork", claim: Claim) -> list[str]:
    supplied = set(uow.session.scalars(select(Document.purpose).where(Document.subject == f"claim:{claim.reference}")))
    return [code for code in REQUIRED[claim.kind] if code not in supplied]


def document_label(code: str) -> str:
    return DOCUMENTS[code]
