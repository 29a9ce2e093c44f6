"""The engine's own reads and writes of ``service_requests``, as prebuilt statements with as
few round trips as its rules allow: the same-form look-up and the conflict check in one
read, the new request inserted without a savepoint, and an applied request's state written
with the policy's new version in one statement."""
from __future__ import annotations

from functools import lru_cache
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from iaas.database import DirectStatement, one_or_none_of
from paas.insert_once import insert_ignoring_duplicates
from paas.loaded_rows import LoadedRows
from paas.notices.events import raise_event, raise_event_beside
from paas.policies.models import Policy
from paas.security.models import Account
from paas.servicing.binds import one_of
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

OPEN = ("awaiting_code", "pending_review", "held")
# What a new request starts without: set on the object, so that no attribute is left to load.
UNSET = {"code_hash": None, "code_sent_to": None, "code_expires_at": None, "code_attempts": 0, "code_resends": 0,
         "contact_code_hash": None, "contact_code_sent_to": None, "hold_until": None, "review_queue": None,
         "decided_by": None, "decision_note": None, "outcome": None, "applied_at": None}
_COLUMNS = tuple(column.key for column in ServiceRequest.__table__.columns if column.key != "id")


# The engine's reads of requests: columns on the cursor, made into the session's objects.
_REQUESTS, _ACCOUNTS = LoadedRows(ServiceRequest), LoadedRows(Account)
_SAME_FORM_OR_OPEN = DirectStatement(select(*_REQUESTS.columns).where(or_(
    ServiceRequest.idempotency_key == bindparam("key"),
    (ServiceRequest.policy_id == bindparam("policy_id")) & one_of(ServiceRequest.status, OPEN),
)))
_BY_REFERENCE_LOCKED = DirectStatement(
    select(*_REQUESTS.columns).where(ServiceRequest.reference == bindparam("reference")).with_for_update())
_BY_KEY = DirectStatement(select(*_REQUESTS.columns).where(ServiceRequest.idempotency_key == bindparam("key")))
# A customer's confirmation: the request and their own sign-in account (``account_id``), both
# locked in one read - its authenticator's last step may move on (paas.security.customer_totp).
_BY_REFERENCE_WITH_ACCOUNT_LOCKED = DirectStatement(
    select(*_REQUESTS.columns, *_ACCOUNTS.columns).select_from(ServiceRequest)
    .join(Account, Account.id == bindparam("account_id"))
    .where(ServiceRequest.reference == bindparam("reference")).with_for_update())


def by_key(uow: "UnitOfWork", key: str) -> ServiceRequest | None:
    return _one_request(uow, _BY_KEY, {"key": key})


def locked_by_reference(uow: "UnitOfWork", reference: str) -> ServiceRequest | None:
    return _one_request(uow, _BY_REFERENCE_LOCKED, {"reference": reference})


def _one_request(uow: "UnitOfWork", statement: DirectStatement, params: dict) -> ServiceRequest | None:
    found = one_or_none_of(statement.in_session(uow.session, params))
    return None if found is None else _REQUESTS.adopt(uow.session, found)


def locked_with_account(uow: "UnitOfWork", reference: str, account_id: int) -> tuple[ServiceRequest, Account] | None:
    found = one_or_none_of(_BY_REFERENCE_WITH_ACCOUNT_LOCKED.in_session(
        uow.session, {"reference": reference, "account_id": account_id}))
    if found is None:
        return None
    return _REQUESTS.adopt(uow.session, found), _ACCOUNTS.adopt(uow.session, found, len(_REQUESTS.columns))


@lru_cache(maxsize=4)
def _insert(dialect: str) -> DirectStatement:
    """Every column but the id, each a parameter of its own name (the statement compiled once,
    not for the keys of each execution's values)."""
    table = ServiceRequest.__table__
    return DirectStatement(insert_ignoring_duplicates(dialect, ServiceRequest)
                           .values({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in _COLUMNS})
                           .on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(table.c.id))


def same_form_or_open(uow: "UnitOfWork", policy_id: int, key: str) -> tuple[ServiceRequest | None, list[ServiceRequest]]:
    """The request this form already made (its idempotency key), and the policy's open
    requests (what a new one may conflict with), in one read. The caller holds the policy's
    lock, so a first copy of the form in flight has committed by now."""
    rows = [_REQUESTS.adopt(uow.session, row)
            for row in _SAME_FORM_OR_OPEN.in_session(uow.session, {"key": key, "policy_id": policy_id})]
    same = next((row for row in rows if row.idempotency_key == key), None)
    return same, [row for row in rows if row is not same]


def insert_new(uow: "UnitOfWork", request: ServiceRequest) -> bool:
    """Insert ``request`` (transient, every column set) and make it the session's, as if
    loaded; False when its idempotency key was taken meanwhile (the same form sent twice at
    once, to another policy): nothing is written then."""
    session = uow.session
    session.flush()  # what the request refers to goes first, as a query would flush it
    values = {f"new_{name}": getattr(request, name) for name in _COLUMNS}
    found = _insert(session.get_bind().dialect.name).in_session(session, values)
    request_id = found[0][0] if found else None
    if request_id is None:
        return False
    request.id = request_id
    make_transient_to_detached(request)  # every attribute counts as loaded: no read-back
    session.add(request)
    return True


_requests, _policies = ServiceRequest.__table__, Policy.__table__
_MARK_APPLIED = (update(_requests).where(_requests.c.id == bindparam("target_request"))
                 .values(status="applied", outcome=bindparam("new_outcome"), applied_at=bindparam("new_now"),
                         updated_at=bindparam("new_now")))
_NEXT_VERSION = (update(_policies).where(_policies.c.id == bindparam("target_policy"))
                 .values(version=_policies.c.version + 1).returning(_policies.c.version))
# PostgreSQL: both in one round trip (a data-modifying CTE); SQLite has none, and sends two.
# (No parameter is named as a column of either table: SQLAlchemy would add it to the SET.)
_APPLIED_AND_NEXT_VERSION = DirectStatement(_NEXT_VERSION.add_cte(_MARK_APPLIED.cte("applied")))


# Beside the endorsement's event (``mark_applied_and_raise``): both UPDATEs as CTEs of its statement.
_NEXT_VERSION_CTE = _NEXT_VERSION.cte("next_version")
_BESIDE_THE_EVENT = ((_MARK_APPLIED.cte("applied"), _NEXT_VERSION_CTE), _NEXT_VERSION_CTE)


def mark_applied_and_raise(uow: "UnitOfWork", request: ServiceRequest, policy: Policy, outcome: str, now: datetime,
                           kind: str, on, data: dict) -> None:
    """``mark_applied``, then the policy event ``kind`` of the request (its reference) raised:
    on PostgreSQL in one round trip with the event and its notice's facts."""
    params = {"target_request": request.id, "new_outcome": outcome, "new_now": now, "target_policy": policy.id}
    raised = raise_event_beside(uow, policy.id, kind, on, data, reference=request.reference,
                                beside=_BESIDE_THE_EVENT, beside_params=params)
    if raised is None:
        mark_applied(uow, request, policy, outcome, now)
        raise_event(uow, policy.id, kind, on, data, reference=request.reference)
        return
    _applied(request, policy, outcome, now, raised[1])


def mark_applied(uow: "UnitOfWork", request: ServiceRequest, policy: Policy, outcome: str, now: datetime) -> None:
    """``request`` applied (``outcome``: what applying did, as JSON) and ``policy``'s version
    moved on, written at once by prebuilt Core statements (not an ORM flush of each), and set
    on both objects as their stored values. Their other changes, if any, are flushed as usual."""
    connection = uow.session.connection()
    params = {"target_request": request.id, "new_outcome": outcome, "new_now": now, "target_policy": policy.id}
    if connection.dialect.name == "postgresql":
        ((version,),) = _APPLIED_AND_NEXT_VERSION.rows(connection, params)
    else:
        connection.execute(_MARK_APPLIED, params)
        version = connection.execute(_NEXT_VERSION, params).scalar_one()
    _applied(request, policy, outcome, now, version)


def _applied(request: ServiceRequest, policy: Policy, outcome: str, now: datetime, version: int) -> None:
    for name, value in (("status", "applied"), ("outcome", outcome), ("applied_at", now), ("updated_at", now)):
        set_committed_value(request, name, value)
    set_committed_value(policy, "version", version)
