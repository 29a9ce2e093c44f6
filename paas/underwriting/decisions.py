"""Underwriters' decisions on a referred application. Each locks the application row, checks
the underwriter's team and authority (the shared desk's rules), records the step and the audit
entry. Accepting more than one's limit leaves the case waiting for a second, higher
underwriter, who agrees (or decides otherwise within their own limit). A counter-offer (rated,
exclusion) waits for the applicant's acceptance online; a standard acceptance goes straight to
the first premium."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.desk import authority, four_eyes
from paas.desk.teams import UNDERWRITERS, require_team
from paas.errors import N_, InvalidInput, NotFound
from paas.products import catalogue
from paas.products.pricing import Cover, premium_for
from paas.security.principal import Principal
from paas.underwriting.applications import details
from paas.underwriting.models import Application, EvidenceRequest, UnderwritingStep
from paas.underwriting.states import (ACCEPTED, AGREE, AWAITING_EVIDENCE, AWAITING_SECOND, DECISION_LABELS, DECLINE,
                                      DECLINED, EVIDENCE, EXCLUSION, OFFERED, POSTPONE, POSTPONED, RATED, REFERRED,
                                      STANDARD)

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

UNDERWRITERS_ONLY = N_("Only underwriters decide applications.")
NOT_FOUND = N_("We could not find application %(reference)s.")
NOT_WAITING = N_("Application %(reference)s is not waiting for an underwriter's decision.")
UNKNOWN_DECISION = N_("Choose one of the decisions offered.")
EXTRA_RANGE = N_("Give the extra premium as a whole percentage from 25 to 300, in steps of 25.")
EXCLUSION_TEXT = N_("Write the exclusion as it will appear on the policy (10 to 500 characters).")
REASON_TEXT = N_("Explain the decision to the applicant in 10 to 300 characters.")
EVIDENCE_KIND = N_("Ask for a document or a medical examination.")
EVIDENCE_NOTE = N_("Say what is needed (5 to 300 characters).")
NOTHING_TO_AGREE = N_("There is no decision waiting for a second underwriter.")
EXAM_SLOTS = 6


@dataclass(frozen=True)
class Decision:
    kind: str  # standard / rated / exclusion / postpone / decline / evidence / agree
    extra_pct: str = ""
    exclusion: str = ""
    note: str = ""  # to the applicant (postpone, decline), or what evidence is needed
    evidence_kind: str = ""  # document / exam


def load(uow: "UnitOfWork", staff: Principal, reference: str, *, lock: bool = True) -> Application:
    require_team(staff, UNDERWRITERS, UNDERWRITERS_ONLY)
    reference = (reference or "")[:16]
    query = select(Application).where(Application.reference == reference, Application.status != "draft")
    application = uow.session.scalar(query.with_for_update() if lock else query)
    if application is None:
        raise NotFound(NOT_FOUND, reference=reference)
    return application


def cover_of(application: Application, details: dict) -> Cover:
    """The cover applied for, priceable again (the insured's age and sex as checked at submission)."""
    checked = details["checked"]
    return Cover(catalogue.product(application.product_code, application.product_version), checked["age"],
                 checked["sex"], application.sum_assured, application.term_years, checked["premium_years"],
                 application.premium_mode)


def rated_premium(cover: Cover, extra_pct: Decimal) -> Decimal:
    """The modal premium with an extra premium of ``extra_pct`` percent, priced by the engine."""
    return premium_for(cover, extra_pct / 100).modal


def parse_extra(text: str) -> Decimal:
    text = (text or "").strip().rstrip("%")
    if not (text.isascii() and text.isdigit()) or not 25 <= int(text) <= 300 or int(text) % 25:
        raise InvalidInput(EXTRA_RANGE, field="extra_pct")
    return Decimal(text)


def decide(uow: "UnitOfWork", staff: Principal, reference: str, decision: Decision) -> Application:
    application = load(uow, staff, reference)
    if application.status not in (REFERRED, AWAITING_SECOND):
        raise InvalidInput(NOT_WAITING, reference=application.reference)
    if decision.kind == AGREE:
        return _agree(uow, staff, application)
    if decision.kind not in DECISION_LABELS:
        raise InvalidInput(UNKNOWN_DECISION, field="decision")
    if decision.kind == EVIDENCE:
        return _ask(uow, staff, application, decision)
    extra = parse_extra(decision.extra_pct) if decision.kind == RATED else None
    exclusion = " ".join((decision.exclusion or "").split())
    if decision.kind == EXCLUSION and not 10 <= len(exclusion) <= 500:
        raise InvalidInput(EXCLUSION_TEXT, field="exclusion")
    note = " ".join((decision.note or "").split())
    if decision.kind in (POSTPONE, DECLINE) and not 10 <= len(note) <= 300:
        raise InvalidInput(REASON_TEXT, field="note")
    accepting = decision.kind in (STANDARD, RATED, EXCLUSION)
    above = accepting and not authority.within_limit(staff, UNDERWRITERS, application.sum_assured)
    step = UnderwritingStep(underwriter_id=staff.account_id, authority_level=staff.authority_level, decision=decision.kind,
                            extra_premium_pct=extra, exclusion=exclusion if decision.kind == EXCLUSION else None,
                            note=note or None, awaiting_second=above, created_at=uow.clock.now())
    application.steps.append(step)
    chain.record(uow, staff.actor, f"application.{decision.kind}", subject=f"application:{application.reference}",
                 detail={"extra_pct": str(extra) if extra is not None else None, "exclusion": step.exclusion,
                         "note": step.note, "level": staff.authority_level, "sum_assured": str(application.sum_assured),
                         "awaiting_second": above})
    if above:
        application.status, application.updated_at = AWAITING_SECOND, uow.clock.now()
        return application
    return _apply(uow, application, step, staff)


def pending_step(application: Application) -> UnderwritingStep | None:
    return next((s for s in reversed(application.steps) if s.awaiting_second), None)


def _agree(uow: "UnitOfWork", staff: Principal, application: Application) -> Application:
    first = pending_step(application)
    if application.status != AWAITING_SECOND or first is None:
        raise InvalidInput(NOTHING_TO_AGREE)
    four_eyes.check_second(staff, UNDERWRITERS, first.underwriter_id, first.authority_level, application.sum_assured)
    application.steps.append(UnderwritingStep(underwriter_id=staff.account_id, authority_level=staff.authority_level,
                                              decision=AGREE, created_at=uow.clock.now()))
    first.awaiting_second = False
    chain.record(uow, staff.actor, "application.agreed", subject=f"application:{application.reference}",
                 detail={"decision": first.decision, "first": first.underwriter_id, "level": staff.authority_level})
    return _apply(uow, application, first, staff)


def _apply(uow: "UnitOfWork", application: Application, step: UnderwritingStep, staff: Principal) -> Application:
    now = uow.clock.now()
    for earlier in application.steps:
        earlier.awaiting_second = False  # a higher underwriter's own decision replaces one waiting for agreement
    application.decision, application.decided_by, application.decided_at, application.updated_at = (
        step.decision, staff.account_id, now, now)
    application.extra_premium_pct, application.exclusion = step.extra_premium_pct, step.exclusion
    if step.decision == STANDARD:
        application.status, application.offered_premium = ACCEPTED, None
    elif step.decision in (RATED, EXCLUSION):
        application.offered_premium = (rated_premium(cover_of(application, details(application)), step.extra_premium_pct)
                                       if step.decision == RATED else application.modal_premium)
        application.status = OFFERED
    else:
        application.status = POSTPONED if step.decision == POSTPONE else DECLINED
        application.told_reason = json.dumps({"note": step.note}, ensure_ascii=False)
    application.version += 1
    return application


def _ask(uow: "UnitOfWork", staff: Principal, application: Application, decision: Decision) -> Application:
    if decision.evidence_kind not in ("document", "exam"):
        raise InvalidInput(EVIDENCE_KIND, field="evidence_kind")
    note = " ".join((decision.note or "").split())
    if not 5 <= len(note) <= 300:
        raise InvalidInput(EVIDENCE_NOTE, field="note")
    now = uow.clock.now()
    slots = exam_slots(now) if decision.evidence_kind == "exam" else []
    application.evidence.append(EvidenceRequest(kind=decision.evidence_kind, note=note, slots=json.dumps(slots),
                                                asked_by=staff.account_id, created_at=now))
    application.steps.append(UnderwritingStep(underwriter_id=staff.account_id, authority_level=staff.authority_level,
                                              decision=EVIDENCE, note=note, created_at=now))
    application.status, application.updated_at = AWAITING_EVIDENCE, now
    application.version += 1
    chain.record(uow, staff.actor, "application.evidence_requested", subject=f"application:{application.reference}",
                 detail={"kind": decision.evidence_kind, "note": note})
    return application


def exam_slots(now: datetime) -> list[str]:
    """Examination appointments on the next working days, morning and afternoon."""
    slots, day = [], now.date()
    while len(slots) < EXAM_SLOTS:
        day += timedelta(days=1)
        if day.weekday() < 5:
            slots += [datetime.combine(day, time(9, 0)).isoformat(timespec="minutes"),
                      datetime.combine(day, time(14, 0)).isoformat(timespec="minutes")]
    return slots[:EXAM_SLOTS]
