"""The adjuster's decisions on a claim. Each is one service call that locks the claim, checks
the adjuster's authority and audits the step; a refusal shows the page again with the reason."""
from __future__ import annotations

from flask import abort, redirect, request, url_for

from paas.claims import adjusting
from paas.claims.adjusting import PayoutToConfirm
from paas.errors import InvalidInput, NotPermitted
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.claims.claim_views import _whole_number, desk_page
from saas.console.claims.forms import ApproveForm, DeclineForm, DocumentsForm
from saas.i18n import error_text
from saas.transaction import uow

_CLAIM = "/claims/<string(maxlength=16):reference>"


@blueprint.post(f"{_CLAIM}/request-documents")
@staff_required
def request_claim_documents(reference: str):
    form = _valid(DocumentsForm())
    return _decide(reference, "documents", lambda unit: adjusting.request_documents(
        unit, principal(), reference, (form.note.data or "").strip()[:300]))


@blueprint.post(f"{_CLAIM}/approve")
@staff_required
def approve_claim(reference: str):
    form = _valid(ApproveForm())
    return _decide(reference, "approve", lambda unit: adjusting.approve(
        unit, principal(), reference, amount=(form.amount.data or "").strip()[:20] or None,
        hospital_days=_whole_number(form.hospital_days.data), note=(form.note.data or "")[:300],
        confirmed_amount=(form.confirmed_amount.data or "").strip()[:20] or None))


@blueprint.post(f"{_CLAIM}/decline")
@staff_required
def decline_claim(reference: str):
    form = _valid(DeclineForm())
    return _decide(reference, "decline", lambda unit: adjusting.decline(unit, principal(), reference,
                                                                         (form.reason.data or "")[:600]))


def _valid(form):
    if not form.validate_on_submit():
        abort(400)
    return form


def _decide(reference: str, form_name: str, act):
    unit = uow()
    try:
        act(unit)
    except PayoutToConfirm as pending:
        # Nothing was done: the same page asks to confirm the amount and the payee.
        unit.rollback()
        values = {k: v[:600] for k, v in request.form.items() if k not in ("csrf_token", "confirmed_amount")}
        page = desk_page(reference, form=form_name, values=values, confirm=pending)
        unit.commit()  # keep the audit entry of this view of the claim's facts
        return page, 200
    except (InvalidInput, NotPermitted) as error:
        unit.rollback()
        values = {k: v[:600] for k, v in request.form.items() if k != "csrf_token"}
        page = desk_page(reference, error=error_text(error), form=form_name, values=values)
        unit.commit()  # the page shows the claim's facts again: keep that view's audit entry
        return page, error.status
    return redirect(url_for("console.claim_on_desk", reference=reference), 303)
