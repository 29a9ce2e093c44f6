"""One claim on the adjuster's desk, and its documents shown inline: only to adjusters and
supervisors (the service checks), each view audited."""
from __future__ import annotations

from io import BytesIO

from flask import render_template, request, send_file

from paas.claims.desk import claim_desk
from paas.claims.views import document_for
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.claims.forms import ApproveForm, DeclineForm, DocumentsForm
from saas.transaction import uow

_CLAIM = "/claims/<string(maxlength=16):reference>"
# A customer's file shown in the browser: it may run nothing, load nothing and be framed by
# nobody, whatever it contains. (Chromium's own PDF viewer is not affected by this policy.)
DOCUMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'; sandbox"


@blueprint.get(_CLAIM)
@staff_required
def claim_on_desk(reference: str):
    return desk_page(reference)


@blueprint.get(f"{_CLAIM}/documents/<string(maxlength=24):document>")
@staff_required
def claim_document_inline(reference: str, document: str):
    found, data = document_for(uow(), principal(), reference, document)
    response = send_file(BytesIO(data), mimetype=found.content_type, as_attachment=False, download_name=found.filename,
                         max_age=0)
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    return response


def desk_page(reference: str, *, error: str | None = None, form: str | None = None, values: dict | None = None,
              confirm=None):
    days = _whole_number(request.values.get("hospital_days") or request.args.get("days"))
    desk = claim_desk(uow(), principal(), reference, hospital_days=days)
    return render_template("console/claims/claim.html", d=desk, c=desk.claim, error=error, error_form=form,
                           values=values or {}, confirm=confirm, documents_form=DocumentsForm(), approve_form=ApproveForm(),
                           decline_form=DeclineForm())


def _whole_number(text: str | None) -> int:
    text = (text or "").strip()[:4]
    return int(text) if text.isascii() and text.isdigit() else 0
