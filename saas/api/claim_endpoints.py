"""Claims through the API, for the signed-in policyholder: the list, reporting one (JSON), one
claim with its timeline and documents, uploading a document (multipart, the file in ``file``)
and downloading it again, withdrawing one nobody has decided yet. Changes need the CSRF token in ``X-CSRFToken``."""
from __future__ import annotations

from flask import jsonify, request, url_for
from marshmallow import ValidationError

from paas.claims import reporting, views
from paas.claims.entry import NEW_ACCOUNT, ClaimEntry, report_entry
from paas.claims.rules import CLAIM_KINDS, DOCUMENTS, REQUIRED
from paas.documents.uploads import MAX_BYTES
from paas.errors import N_, DomainError, InvalidInput
from saas.api import blueprint
from saas.api.claim_schemas import Claim, ClaimDocument, ClaimInput, ClaimList
from saas.api.external_account_endpoints import _policyholder, reports_invalid_input
from saas.i18n import gettext
from saas.servicing.submission import accepts_uploads
from saas.downloads import attachment
from saas.transaction import read_only, uow

_CLAIM = "/claims/<string(maxlength=16):reference>"
NOT_AN_OBJECT = N_("Send the claim as a JSON object (Content-Type: application/json).")
NOT_A_FIELD = N_("%(name)s is not a field of a claim.")
NOT_TEXT = N_("Send %(name)s as a JSON string.")
NOT_AN_ACCOUNT = N_("Send new_bank_account as an object with bank_name and account_number, both strings.")
FILE_NEEDED = N_("Send the file as multipart/form-data in a field named file, with its document_type.")


@blueprint.get("/claims")
@read_only
def claims():
    lines = views.my_claims(uow(), _policyholder())
    return jsonify(ClaimList().dump({"claims": [_summary(line) for line in lines]}))


@blueprint.post("/claims")
@reports_invalid_input
def report_claim():
    who = _policyholder()
    claim = report_entry(uow(), who, _entry())
    body = Claim().dump(_detail(views.claim_for_claimant(uow(), who, claim.reference)))
    return jsonify(body), 201, {"Location": url_for("api.claim", reference=claim.reference)}


@blueprint.get(_CLAIM)
@read_only
def claim(reference: str):
    return jsonify(Claim().dump(_detail(views.claim_for_claimant(uow(), _policyholder(), reference))))


@blueprint.post(f"{_CLAIM}/withdraw")
@reports_invalid_input
def withdraw_claim(reference: str):
    who = _policyholder()
    reporting.withdraw(uow(), who, reference)
    return jsonify(Claim().dump(_detail(views.claim_for_claimant(uow(), who, reference))))


@blueprint.post(f"{_CLAIM}/documents")
@accepts_uploads
@reports_invalid_input
def add_claim_document(reference: str):
    who = _policyholder()
    storage = request.files.get("file")
    if storage is None or not storage.filename:
        raise InvalidInput(FILE_NEEDED, field="file")
    document = reporting.add_document(uow(), who, reference, document_type=(request.form.get("document_type") or "")[:24],
                                      filename=storage.filename, data=storage.read(MAX_BYTES + 1))
    view = views.DocumentLine(document.reference, document.purpose, document.filename, document.content_type,
                              document.size, document.created_at)
    return jsonify(ClaimDocument().dump(_document(reference, view))), 201


@blueprint.get(f"{_CLAIM}/documents/<string(maxlength=24):document>")
@read_only
def claim_document(reference: str, document: str):
    return attachment(views.download_for(uow(), _policyholder(), reference, document))


@blueprint.delete(f"{_CLAIM}/documents/<string(maxlength=24):document>")
@reports_invalid_input
def remove_claim_document(reference: str, document: str):
    who = _policyholder()
    reporting.remove_document(uow(), who, reference, document)
    return jsonify(Claim().dump(_detail(views.claim_for_claimant(uow(), who, reference))))


def _entry() -> ClaimEntry:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DomainError(NOT_AN_OBJECT)
    try:
        sent = ClaimInput().load(body, partial=True)
    except ValidationError as error:
        raise _input_error(error.messages) from None
    account = sent.pop("new_bank_account", None)
    if account is not None:
        sent.update(bank_account=NEW_ACCOUNT, new_bank_name=account.get("bank_name", ""),
                    new_account_number=account.get("account_number", ""))
    return ClaimEntry(**{name: (value or "")[:2100] for name, value in sent.items()})


def _input_error(messages: dict) -> InvalidInput:
    name, problems = next(iter(messages.items()))
    name = str(name)[:40]
    if name == "new_bank_account":
        return InvalidInput(NOT_AN_ACCOUNT, field=name)
    if "Unknown field." in problems:
        return InvalidInput(NOT_A_FIELD, field=name, name=name)
    return InvalidInput(NOT_TEXT, field=name, name=name)


def _needs(codes) -> list[dict]:
    return [{"code": code, "label": gettext(DOCUMENTS[code])} for code in codes]


def _summary(view: views.ClaimView) -> dict:
    return {
        "reference": view.reference, "policy_number": view.policy_number, "kind": view.kind,
        "kind_label": gettext(CLAIM_KINDS[view.kind]), "status": view.status,
        "status_label": gettext(views.STATUS_LABELS[view.status]), "incident_date": view.incident_date,
        "reported_at": view.reported_at, "approved_amount": view.approved_amount, "missing_documents": _needs(view.missing),
    }


def _detail(view: views.ClaimView) -> dict:
    timeline = [{"status": line.status, "status_label": gettext(views.STATUS_LABELS[line.status]), "note": line.note,
                 "occurred_at": line.occurred_at} for line in view.timeline]
    return {**_summary(view), "claimant_name": view.claimant_name, "facts": view.facts or "",
            "decision_reason": view.decision_reason, "payout_hold_until": view.payout_hold_until,
            "timeline": timeline, "required_documents": _needs(REQUIRED[view.kind]),
            "documents": [_document(view.reference, d) for d in view.documents]}


def _document(reference: str, line: views.DocumentLine) -> dict:
    return {"reference": line.reference, "document_type": line.document_type, "filename": line.filename,
            "content_type": line.content_type, "size": line.size, "uploaded_at": line.uploaded_at,
            "download": url_for("api.claim_document", reference=reference, document=line.reference)}
