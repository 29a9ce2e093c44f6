"""New-business applications through the API, for the signed-in applicant: the list and one
application with its outcome, plain reason and what is asked of them. Only the account that
applied finds an application; for anyone else it does not exist (404)."""
from __future__ import annotations

import json

from flask import jsonify
from marshmallow import Schema, fields

from paas.underwriting import applications, issuing
from paas.underwriting.desk import findings_of
from paas.underwriting.models import Application
from paas.underwriting.states import STATUS_LABELS
from saas.api import blueprint
from saas.api.external_account_endpoints import _policyholder
from saas.api.schemas import Money
from saas.i18n import current_locale, gettext
from saas.transaction import read_only, uow


class ApplicationOut(Schema):
    reference = fields.String(required=True)
    product = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    sum_assured = Money(allow_none=True)
    premium = Money(allow_none=True)  # the modal premium: the offered one if rated
    premium_mode = fields.String(allow_none=True)
    decision = fields.String(allow_none=True)
    extra_premium_pct = fields.String(allow_none=True)
    exclusion = fields.String(allow_none=True)
    reasons = fields.List(fields.String(), required=True, metadata={"description": "Plain words for the applicant."})


class ApplicationList(Schema):
    applications = fields.List(fields.Nested(ApplicationOut), required=True)


def _out(application: Application) -> dict:
    lang = current_locale()
    told = json.loads(application.told_reason) if application.told_reason else {}
    reasons = [told.get("note") or told.get(lang)] if told else sorted(
        {f.told(lang) for f in findings_of(application) if f.outcome != "accept"})
    return {"reference": application.reference, "product": application.product_code, "status": application.status,
            "status_label": gettext(STATUS_LABELS[application.status]), "sum_assured": application.sum_assured,
            "premium": issuing.first_premium(application) if application.modal_premium else None,
            "premium_mode": application.premium_mode, "decision": application.decision,
            "extra_premium_pct": str(application.extra_premium_pct) if application.extra_premium_pct else None,
            "exclusion": application.exclusion, "reasons": [r for r in reasons if r]}


@blueprint.get("/applications")
@read_only
def applications_list():
    found = applications.my_applications(uow(), _policyholder())
    return jsonify(ApplicationList().dump({"applications": [_out(a) for a in found]}))


@blueprint.get("/applications/<string(maxlength=16):reference>")
@read_only
def application_detail(reference: str):
    return jsonify(ApplicationOut().dump(_out(applications.mine(uow(), _policyholder(), reference))))


def add_application_paths(spec, *, secured: list, errors: dict) -> None:
    spec.components.schema("Application", schema=ApplicationOut)
    spec.components.schema("ApplicationList", schema=ApplicationList)
    ok = {"content": {"application/json": {"schema": "ApplicationList"}}, "description": "The caller's applications."}
    spec.path(path="/applications", operations={"get": {
        "summary": "The caller's new-business applications, newest first", "security": secured,
        "responses": {"200": ok, **errors}}})
    spec.path(path="/applications/{reference}", operations={"get": {
        "summary": "One application: status, decision and the plain reason for it", "security": secured,
        "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 16},
                        "description": "The application's reference, e.g. NB1A2B3C4D5E."}],
        "responses": {"200": {"description": "The application.", "content": {"application/json": {"schema": "Application"}}},
                      "404": {"description": "No such application among the caller's.",
                              "content": {"application/json": {"schema": "Error"}}}, **errors}}})
