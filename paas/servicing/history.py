"""Servicing requests as people see them: a customer's history (all policies or one), one
request with what it showed before confirmation and what applying it did."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Select, select

from paas.customers.masking import mask_email, mask_mobile
from paas.errors import N_, NotFound
from paas.numbering import POLICY_NUMBER
from paas.policies.models import Policy
from paas.servicing import expiry
from paas.servicing.engine import OPEN, REQUEST_NOT_FOUND
from paas.servicing.models import ServiceRequest
from paas.servicing.registry import all_transactions

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

STATUS_LABELS = {
    "awaiting_code": N_("Waiting for confirmation"),
    "pending_review": N_("Being checked by a colleague"),
    "held": N_("Held: paid later to a new account"),
    "applied": N_("Done"),
    "rejected": N_("Declined"),
    "cancelled": N_("Cancelled"),
    "expired": N_("Expired"),
}
CHANNEL_LABELS = {"web": N_("Website"), "api": N_("App"), "sms": N_("SMS"), "console": N_("Our staff, for you")}
REFERENCE_LENGTH = 16


@dataclass(frozen=True)
class RequestLine:
    reference: str
    kind: str
    label: str  # message id
    status: str
    channel: str
    policy_number: str
    on_behalf: bool
    step_up: str
    review_queue: str | None
    created_at: datetime
    updated_at: datetime
    applied_at: datetime | None
    preview: tuple[dict, ...]
    outcome: dict | None
    decision_note: str | None
    code_sent_to: str | None  # masked
    contact_code_sent_to: str | None  # masked: the new mobile or e-mail the second code went to
    hold_until: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def label_of(kind: str) -> str:
    """A kind no longer registered still shows, by its code."""
    return next((t.label for t in all_transactions() if t.kind == kind), kind)


def request_line(request: ServiceRequest, policy_number: str, now: datetime | None = None) -> RequestLine:
    """``now``: a request past its time shows as expired (no code box, no cancel button)
    although only the engine's next touch, or the night, records it so."""
    status = "expired" if now is not None and expiry.is_stale(request, now) else request.status
    return RequestLine(
        request.reference, request.kind, label_of(request.kind), status, request.channel, policy_number,
        request.on_behalf, request.step_up, request.review_queue, request.created_at, request.updated_at,
        request.applied_at, tuple(json.loads(request.preview or "[]")),
        json.loads(request.outcome) if request.outcome else None, request.decision_note,
        mask_mobile(request.code_sent_to) if request.code_sent_to else None,
        _masked_contact(request.contact_code_sent_to), request.hold_until,
    )


def _masked_contact(value: str | None) -> str | None:
    if not value:
        return None
    return mask_email(value) if "@" in value else mask_mobile(value)


def with_policy_number() -> Select:
    return select(ServiceRequest, Policy.policy_number).join(Policy, Policy.id == ServiceRequest.policy_id)


def customer_requests(uow: "UnitOfWork", customer_id: int, *, policy_number: str | None = None,
                      limit: int = 100) -> list[RequestLine]:
    """Newest first."""
    query = with_policy_number().where(ServiceRequest.customer_id == customer_id)
    if policy_number is not None:
        query = query.where(Policy.policy_number == (POLICY_NUMBER.normalise(policy_number) or ""))
    rows = uow.session.execute(query.order_by(ServiceRequest.id.desc()).limit(limit)).all()
    return [request_line(request, number, uow.clock.now()) for request, number in rows]


def customer_request(uow: "UnitOfWork", customer_id: int, reference: str) -> RequestLine:
    """One request of this customer's; another customer's is not found, like a missing one."""
    reference = (reference or "")[:REFERENCE_LENGTH]
    row = uow.session.execute(
        with_policy_number().where(ServiceRequest.reference == reference, ServiceRequest.customer_id == customer_id)
    ).one_or_none()
    if row is None:
        raise NotFound(REQUEST_NOT_FOUND, reference=reference)
    return request_line(*row, uow.clock.now())
