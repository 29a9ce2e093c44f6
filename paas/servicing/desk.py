"""The servicing desk in the console: the review queues (oldest first, with their age), one
request in full, request search by policy, customer or reference. Previews may show personal
data, so opening a request or searching is audited like the customer view."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.customers.models import Customer
from paas.customers.search import require_staff
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.numbering import CUSTOMER_NUMBER, POLICY_NUMBER
from paas.policies.models import Policy
from paas.security.models import Account
from paas.security.principal import Principal
from paas.documents.models import Document
from paas.servicing.engine import REQUEST_NOT_FOUND
from paas.servicing.evidence import attached_documents, may_see_documents
from paas.servicing.history import RequestLine, request_line, with_policy_number
from paas.servicing.models import ServiceRequest
from paas.desk.teams import teams_of, works
from paas.servicing.queues import DECIDERS

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

QUEUES = {"clerk": N_("Servicing clerks"), "underwriter": N_("Underwriters")}
NOT_YOUR_QUEUE = N_("This queue belongs to another team.")
SEARCH_HELP = N_("Search by request reference, policy number or customer number.")
_REFERENCE = re.compile(r"^SR[0-9A-F]{10}$")
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class DeskLine:
    request: RequestLine
    customer_number: str
    customer_name: str
    age: timedelta  # since submission


@dataclass(frozen=True)
class DeskRequest:
    line: DeskLine
    submitted_by: str
    decided_by: str | None
    may_decide: bool  # the queue is the viewer's and someone else submitted it
    is_mine: bool  # the viewer submitted it (acting for the customer): they confirm or cancel it
    documents: tuple[Document, ...]  # empty unless the viewer may see them


def visible_queues(staff: Principal) -> list[str]:
    return teams_of(staff, tuple(DECIDERS))


def _desk_query():
    return (with_policy_number().add_columns(Customer.customer_number, Customer.name)
            .join(Customer, Customer.id == ServiceRequest.customer_id))


def _lines(uow: "UnitOfWork", query) -> list[DeskLine]:
    now = uow.clock.now()
    return [DeskLine(request_line(request, policy_number), number, name, now - request.created_at)
            for request, policy_number, number, name in uow.session.execute(query).all()]


def queue_requests(uow: "UnitOfWork", staff: Principal, queue: str) -> list[DeskLine]:
    if queue not in visible_queues(require_staff(staff)):
        raise NotPermitted(NOT_YOUR_QUEUE)
    return _lines(uow, _desk_query().where(ServiceRequest.status == "pending_review", ServiceRequest.review_queue == queue)
                  .order_by(ServiceRequest.created_at, ServiceRequest.id))


def find_requests(uow: "UnitOfWork", staff: Principal, text: str) -> list[DeskLine]:
    require_staff(staff)
    value = "".join((text or "").split()).upper()[:40]
    if _REFERENCE.match(value):
        by, condition = "reference", ServiceRequest.reference == value
    elif POLICY_NUMBER.normalise(value):
        by, condition = "policy_number", Policy.policy_number == POLICY_NUMBER.normalise(value)
    elif CUSTOMER_NUMBER.normalise(value):
        by, condition = "customer_number", Customer.customer_number == CUSTOMER_NUMBER.normalise(value)
    else:
        raise InvalidInput(SEARCH_HELP, field="q")
    lines = _lines(uow, _desk_query().where(condition).order_by(ServiceRequest.id.desc()).limit(SEARCH_LIMIT))
    chain.record(uow, staff.actor, "servicing.searched", detail={"by": by, "matches": len(lines)})
    return lines


def _request(uow: "UnitOfWork", reference: str) -> ServiceRequest:
    reference = (reference or "")[:16]
    request = uow.session.scalar(select(ServiceRequest).where(ServiceRequest.reference == reference))
    if request is None:
        raise NotFound(REQUEST_NOT_FOUND, reference=reference)
    return request


def desk_request(uow: "UnitOfWork", staff: Principal, reference: str) -> DeskRequest:
    require_staff(staff)
    request = _request(uow, reference)
    line = _lines(uow, _desk_query().where(ServiceRequest.id == request.id))[0]
    names = dict(uow.session.execute(select(Account.id, Account.display_name)
                                     .where(Account.id.in_([request.submitted_by, request.decided_by or 0]))).all())
    chain.record(uow, staff.actor, "servicing.viewed", subject=f"request:{request.reference}")
    decider = request.review_queue in DECIDERS and works(staff, request.review_queue)
    return DeskRequest(
        line, names.get(request.submitted_by, ""), names.get(request.decided_by) if request.decided_by else None,
        may_decide=decider and request.status == "pending_review" and request.submitted_by != staff.account_id,
        is_mine=request.submitted_by == staff.account_id,
        documents=tuple(attached_documents(uow, request)) if may_see_documents(staff, request) else (),
    )
