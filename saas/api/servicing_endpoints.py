"""Policy servicing through the API, for the signed-in policyholder: what can be done to a
policy and why not, a preview that keeps nothing, submitting (``Idempotency-Key`` header
required), confirming with the SMS code, the requests and cancelling. Changes need the CSRF
token in ``X-CSRFToken``, as the other cookie-authenticated changes do."""
from __future__ import annotations

from flask import jsonify, request, url_for
from sqlalchemy import bindparam, select

from paas.errors import N_, DomainError, InvalidInput
from paas.policies.models import Policy
from paas.servicing import engine
from paas.servicing.history import customer_request, customer_requests, request_line
from paas.servicing.offers import policy_offers, preview, service
from saas.api import blueprint
from saas.api.external_account_endpoints import _policyholder, reports_invalid_input
from saas.api.servicing_schemas import ServiceList, ServicePreview, ServiceRequest, ServiceRequestList
from saas.api.servicing_views import request_data, service_data, translated_lines
from saas.i18n import current_locale, error_text
from saas.servicing.confirming import outcome_status, outcome_text
from saas.transaction import read_only, uow

_SERVICES = "/policies/<string(maxlength=32):policy_number>/services"
_SERVICE = _SERVICES + "/<string(maxlength=32):kind>"
_REQUEST = "/requests/<string(maxlength=16):reference>"
NOT_AN_OBJECT = N_("Send the service's fields as a JSON object (Content-Type: application/json).")
NOT_A_FIELD = N_("%(name)s is not a field of this service.")
KEY_NEEDED = N_("Send an Idempotency-Key header (up to 60 characters) with each new request.")
CODE_NEEDED = N_("Send {\"code\": \"123456\"}, the code from the SMS (and \"contact_code\", the code sent to "
                 "the new contact, when the request has one).")


@blueprint.get(_SERVICES)
@read_only
def policy_services(policy_number: str):
    offers = policy_offers(uow(), _policyholder(), policy_number)
    body = {"policy_number": offers.policy_number, "services": [service_data(o) for o in offers.offers],
            "bank_accounts": [c.__dict__ for c in offers.payout_choices],
            "funds": [{"code": f.code, "name": f.name(current_locale())} for f in offers.funds]}
    return jsonify(ServiceList().dump(body))


def _fields_sent(kind: str) -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DomainError(NOT_AN_OBJECT)
    known = {f.name for f in service(kind).fields}
    unknown = next((name for name in body if name not in known), None)
    if unknown is not None:
        raise InvalidInput(NOT_A_FIELD, field=str(unknown)[:40], name=str(unknown)[:40])
    return body


@blueprint.post(f"{_SERVICE}/preview")
@reports_invalid_input
def preview_service(policy_number: str, kind: str):
    who = _policyholder()
    shown = preview(uow(), who, policy_number, kind, _fields_sent(kind))
    body = {"kind": shown.kind, "step_up": shown.step_up, "review_queue": shown.review_queue,
            "preview": translated_lines(shown.lines)}
    return jsonify(ServicePreview().dump(body))


@blueprint.post(_SERVICE)
@reports_invalid_input
def submit_service(policy_number: str, kind: str):
    who = _policyholder()
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 60:
        raise DomainError(KEY_NEEDED)
    started = engine.start(uow(), who, policy_number, kind, _fields_sent(kind), channel="api", idempotency_key=key)
    location = url_for("api.service_request", reference=started.reference)
    return jsonify(_answer(started)), 201, {"Location": location}


@blueprint.get("/requests")
@read_only
def service_requests():
    lines = customer_requests(uow(), _policyholder().customer_id, policy_number=request.args.get("policy"))
    return jsonify(ServiceRequestList().dump({"requests": [request_data(line) for line in lines]}))


@blueprint.get(_REQUEST)
@read_only
def service_request(reference: str):
    return jsonify(_request(_policyholder(), reference))


@blueprint.post(f"{_REQUEST}/confirm")
def confirm_service_request(reference: str):
    who = _policyholder()
    body = request.get_json(silent=True)
    if (not isinstance(body, dict) or not isinstance(body.get("code"), str) or set(body) - {"code", "contact_code"}
            or not isinstance(body.get("contact_code", ""), str)):
        return jsonify({"error": {"code": "invalid_input", "message": error_text(InvalidInput(CODE_NEEDED)),
                                  "field": "code"}}), 422
    outcome = engine.confirm(uow(), who, reference, body["code"][:12], body.get("contact_code", "")[:12])
    if not outcome.confirmed:
        error = {"code": outcome.result, "message": outcome_text(outcome), "field": outcome.field,
                 "attempts_left": outcome.attempts_left}
        return jsonify({"error": error}), outcome_status(outcome)
    return jsonify(_answer(outcome.request))


@blueprint.post(f"{_REQUEST}/resend")
@reports_invalid_input
def resend_service_code(reference: str):
    """A new SMS code (at most three, a minute apart); a 429 says how long to wait."""
    who = _policyholder()
    engine.resend_code(uow(), who, reference)
    return jsonify(_request(who, reference)), 202


@blueprint.delete(_REQUEST)
@reports_invalid_input
def cancel_service_request(reference: str):
    who = _policyholder()
    engine.cancel(uow(), who, reference)
    return jsonify(_request(who, reference))


_POLICY_NUMBER = select(Policy.policy_number).where(Policy.id == bindparam("policy_id"))
_REQUEST_SCHEMA = ServiceRequest()  # dumping keeps no state in the schema: one for every answer (~85 us each to build)


def _request(who, reference: str) -> dict:
    return _REQUEST_SCHEMA.dump(request_data(customer_request(uow(), who.customer_id, reference)))


def _answer(request) -> dict:
    """The request the engine has just started or confirmed for this caller (it checked whose it
    is), as ``_request`` would read it back: the engine keeps the row's object as stored (its
    own Core writes set their values on it), so only the policy's number is read, not both rows
    into the ORM again (the session's policy object may be gone: its identity map is weak)."""
    unit = uow()
    number = unit.session.scalar(_POLICY_NUMBER, {"policy_id": request.policy_id})
    return _REQUEST_SCHEMA.dump(request_data(request_line(request, number, unit.clock.now())))
