"""Documents a customer uploaded for a request (an ID card for a name correction): shown to
the team that decides the request, and to nobody else on the staff. Which documents belong
to a request is read from its own (sealed) inputs, never from what a URL says."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.documents import uploads
from paas.documents.models import Document
from paas.errors import N_, NotFound, NotPermitted
from paas.security.principal import Principal
# The engine keeps what was typed encrypted; this is its reader.
from paas.servicing.engine import REQUEST_NOT_FOUND, _unseal
from paas.servicing.models import ServiceRequest
from paas.servicing.queues import DECIDERS
from paas.servicing.registry import all_transactions

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NOT_YOUR_DOCUMENTS = N_("Only the team that decides this request may see its documents.")


def may_see_documents(staff: Principal, request: ServiceRequest) -> bool:
    """The request's queue decides (servicing clerks when it went to none)."""
    return staff.is_staff and staff.role in DECIDERS.get(request.review_queue or "clerk", ())


def _references(uow: "UnitOfWork", request: ServiceRequest) -> list[str]:
    txn = next((t for t in all_transactions() if t.kind == request.kind), None)
    if txn is None:
        return []
    inputs = _unseal(uow, request)
    return [str(inputs[f.name]) for f in txn.fields if f.kind == "document" and inputs.get(f.name)]


def attached_documents(uow: "UnitOfWork", request: ServiceRequest) -> list[Document]:
    references = _references(uow, request)
    if not references:
        return []
    return list(uow.session.scalars(select(Document).where(
        Document.reference.in_(references), Document.customer_id == request.customer_id).order_by(Document.id)))


def read_attached(uow: "UnitOfWork", staff: Principal, reference: str, document_reference: str) -> tuple[Document, bytes]:
    """The document with its bytes, for a member of the deciding team; audited."""
    request = uow.session.scalar(select(ServiceRequest).where(ServiceRequest.reference == (reference or "")[:16]))
    if request is None:
        raise NotFound(REQUEST_NOT_FOUND, reference=(reference or "")[:16])
    if not may_see_documents(staff, request):
        raise NotPermitted(NOT_YOUR_DOCUMENTS)
    if document_reference not in _references(uow, request):
        raise NotFound(uploads.DOCUMENT_NOT_FOUND)
    document, data = uploads.read(uow, request.customer_id, document_reference)
    chain.record(uow, staff.actor, "document.viewed", subject=f"request:{request.reference}",
                 detail={"document": document.reference})
    return document, data
