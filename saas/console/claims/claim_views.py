"""One claim on the adjuster's desk, and its documents shown inline: only to adjusters and
supervisors (the service checks), each view audited."""
from __future__ import annotations

from flask import render_template, request

from paas.claims.desk import claim_desk
from paas.claims.views import document_for
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.claims.forms import ApproveForm, DeclineForm, DocumentsForm
from saas.console.documents import show_document
from saas.transaction import uow

_CLAIM = "/claims/<string(maxlength=16):reference>"


@blueprint.get(_CLAIM)
@staff_required
def claim_on_desk(reference: str):
    return desk_page(reference)


@blueprint.get(f"{_CLAIM}/documents/<string(maxlength=24):document>")
@staff_required
def claim_document_inline(reference: str, document: str):
    found, data = document_for(uow(), principal(), reference, document)
    return show_document(data, content_type=found.content_type, filename=found.filename)


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
