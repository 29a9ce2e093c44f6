"""The applicant's side after submission: accepting or refusing a counter-offer, and answering
an underwriter's request for more (a document uploaded, an examination slot booked). Once
every request is answered the case goes back to the underwriters' queue."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from paas.audit import chain
from paas.documents.uploads import upload
from paas.errors import N_, InvalidInput, NotFound
from paas.security.principal import Principal
from paas.underwriting.applications import mine
from paas.underwriting.models import Application, EvidenceRequest
from paas.underwriting.states import ACCEPTED, AWAITING_EVIDENCE, OFFERED, REFERRED, REFUSED

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NO_OFFER = N_("Application %(reference)s has no offer waiting for your answer.")
NOT_ASKED = N_("Nothing is asked of you on application %(reference)s.")
CHOOSE_SLOT = N_("Choose one of the appointments offered.")


def answer_offer(uow: "UnitOfWork", who: Principal, reference: str, *, accept: bool) -> Application:
    application = mine(uow, who, reference, lock=True)
    if application.status != OFFERED:
        raise InvalidInput(NO_OFFER, reference=application.reference)
    application.status = ACCEPTED if accept else REFUSED
    application.updated_at = uow.clock.now()
    application.version += 1
    chain.record(uow, who.actor, "application.offer_accepted" if accept else "application.offer_refused",
                 subject=f"application:{application.reference}",
                 detail={"decision": application.decision, "premium": str(application.offered_premium)})
    return application


def _open_request(application: Application, request_id: int, kind: str) -> EvidenceRequest:
    if application.status != AWAITING_EVIDENCE:
        raise InvalidInput(NOT_ASKED, reference=application.reference)
    found = next((r for r in application.evidence if r.id == request_id and r.kind == kind and r.answered_at is None), None)
    if found is None:
        raise NotFound(NOT_ASKED, reference=application.reference)
    return found


def upload_evidence(uow: "UnitOfWork", who: Principal, reference: str, request_id: int, *, filename: str,
                    data: bytes) -> Application:
    application = mine(uow, who, reference, lock=True)
    request = _open_request(application, request_id, "document")
    document = upload(uow, who, application.owner_id, purpose="underwriting", subject=f"application:{reference}",
                      filename=filename, data=data)
    request.document_reference = document.reference
    return _answered(uow, who, application, request, {"document": document.reference})


def book_exam(uow: "UnitOfWork", who: Principal, reference: str, request_id: int, slot: str) -> Application:
    application = mine(uow, who, reference, lock=True)
    request = _open_request(application, request_id, "exam")
    if slot not in json.loads(request.slots or "[]"):
        raise InvalidInput(CHOOSE_SLOT, field="slot")
    request.booked_slot = slot
    return _answered(uow, who, application, request, {"slot": slot})


def _answered(uow: "UnitOfWork", who: Principal, application: Application, request: EvidenceRequest,
              detail: dict) -> Application:
    now = uow.clock.now()
    request.answered_at = now
    if all(r.answered_at is not None for r in application.evidence):
        application.status = REFERRED  # back in the queue, at its place by first submission
    application.updated_at = now
    application.version += 1
    chain.record(uow, who.actor, "application.evidence_given", subject=f"application:{application.reference}",
                 detail={"kind": request.kind, **detail})
    return application
