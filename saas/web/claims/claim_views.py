"""One claim for its claimant: the timeline with dates and decision reasons, the documents
supplied (downloadable) and missing (each with its upload form), and the download itself."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from paas.claims import reporting, views
from paas.documents.uploads import MAX_BYTES
from paas.errors import N_, InvalidInput
from saas.auth import policyholder_required, principal
from saas.i18n import error_text
from saas.servicing.submission import accepts_uploads
from saas.downloads import attachment
from saas.transaction import read_only, uow
from saas.web import blueprint
from saas.web.claims.forms import RemoveDocumentForm, UploadForm, WithdrawForm

_CLAIM = "/claims/<string(maxlength=16):reference>"
CHOOSE_FILE = N_("Choose the file to send.")


@blueprint.get(_CLAIM)
@policyholder_required
@read_only
def claim(reference: str):
    return _page(reference)


@blueprint.post(f"{_CLAIM}/documents")
@policyholder_required
@accepts_uploads
def upload_claim_document(reference: str):
    if not UploadForm().validate_on_submit():
        abort(400)
    document_type = (request.form.get("document_type") or "")[:24]
    storage = request.files.get("document")
    unit = uow()
    try:
        if storage is None or not storage.filename:
            raise InvalidInput(CHOOSE_FILE, field="document")
        reporting.add_document(unit, principal(), reference, document_type=document_type, filename=storage.filename,
                               data=storage.read(MAX_BYTES + 1))
    except InvalidInput as error:
        unit.rollback()
        slot = (request.form.get("slot") or document_type)[:24]
        return _page(reference, error=error_text(error), error_slot=slot), 422
    return redirect(url_for("web.claim", reference=reference, _anchor="documents"), 303)


def _too_large(message: str, reference: str):
    return _page(reference, error=message, blank_forms=True)  # the body was never read: no form data to bind


upload_claim_document.too_large = _too_large  # a file over the request limit: back on the claim (saas.errors)


@blueprint.post(f"{_CLAIM}/withdraw")
@policyholder_required
def withdraw_claim(reference: str):
    if not WithdrawForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        reporting.withdraw(unit, principal(), reference)
    except InvalidInput as error:
        unit.rollback()
        return _page(reference, error=error_text(error)), 422
    return redirect(url_for("web.claim", reference=reference), 303)


@blueprint.post(f"{_CLAIM}/documents/<string(maxlength=24):document>/remove")
@policyholder_required
def remove_claim_document(reference: str, document: str):
    if not RemoveDocumentForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        reporting.remove_document(unit, principal(), reference, document)
    except InvalidInput as error:
        unit.rollback()
        return _page(reference, error=error_text(error)), 422
    return redirect(url_for("web.claim", reference=reference, _anchor="documents"), 303)


@blueprint.get(f"{_CLAIM}/documents/<string(maxlength=24):document>")
@policyholder_required
@read_only
def claim_document(reference: str, document: str):
    # Typed by what its content was found to be; saved, never shown inside the portal's pages.
    return attachment(views.download_for(uow(), principal(), reference, document))


def _page(reference: str, *, error: str | None = None, error_slot: str | None = None, blank_forms: bool = False):
    view = views.claim_for_claimant(uow(), principal(), reference)
    formdata = {"formdata": None} if blank_forms else {}
    return render_template("web/claims/claim.html", c=view, form=UploadForm(**formdata),
                           remove_form=RemoveDocumentForm(**formdata), error=error, error_slot=error_slot,
                           accepts_documents=view.status in ("reported", "under_review"),
                           withdrawable=view.status in reporting.WITHDRAWABLE, withdraw_form=WithdrawForm(**formdata))
