"""The engine's own reads and writes of ``service_requests``, as prebuilt statements with as
few round trips as its rules allow: the same-form look-up and the conflict check in one
read, and the new request inserted without a savepoint."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import make_transient_to_detached

from paas.insert_once import insert_ignoring_duplicates
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

OPEN = ("awaiting_code", "pending_review", "held")
# What a new request starts without: set on the object, so that no attribute is left to load.
UNSET = {"code_hash": None, "code_sent_to": None, "code_expires_at": None, "code_attempts": 0, "code_resends": 0,
         "contact_code_hash": None, "contact_code_sent_to": None, "hold_until": None, "review_queue": None,
         "decided_by": None, "decision_note": None, "outcome": None, "applied_at": None}
_COLUMNS = tuple(column.key for column in ServiceRequest.__table__.columns if column.key != "id")


_SAME_FORM_OR_OPEN = select(ServiceRequest).where(or_(
    ServiceRequest.idempotency_key == bindparam("key"),
    (ServiceRequest.policy_id == bindparam("policy_id")) & ServiceRequest.status.in_(OPEN),
))
BY_REFERENCE_LOCKED = select(ServiceRequest).where(ServiceRequest.reference == bindparam("reference")).with_for_update()
BY_KEY = select(ServiceRequest).where(ServiceRequest.idempotency_key == bindparam("key"))


@lru_cache(maxsize=4)
def _insert(dialect: str):
    return (insert_ignoring_duplicates(dialect, ServiceRequest)
            .on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(ServiceRequest.id))


def same_form_or_open(uow: "UnitOfWork", policy_id: int, key: str) -> tuple[ServiceRequest | None, list[ServiceRequest]]:
    """The request this form already made (its idempotency key), and the policy's open
    requests (what a new one may conflict with), in one read. The caller holds the policy's
    lock, so a first copy of the form in flight has committed by now."""
    rows = uow.session.scalars(_SAME_FORM_OR_OPEN, {"key": key, "policy_id": policy_id}).all()
    same = next((row for row in rows if row.idempotency_key == key), None)
    return same, [row for row in rows if row is not same]


def insert_new(uow: "UnitOfWork", request: ServiceRequest) -> bool:
    """Insert ``request`` (transient, every column set) and make it the session's, as if
    loaded; False when its idempotency key was taken meanwhile (the same form sent twice at
    once, to another policy): nothing is written then."""
    session = uow.session
    session.flush()  # what the request refers to goes first, as a query would flush it
    values = {name: getattr(request, name) for name in _COLUMNS}
    request_id = session.execute(_insert(session.get_bind().dialect.name), values).scalar_one_or_none()
    if request_id is None:
        return False
    request.id = request_id
    make_transient_to_detached(request)  # every attribute counts as loaded: no read-back
    session.add(request)
    return True
