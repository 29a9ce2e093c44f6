"""One request in the console: its preview and history, the customer's document for the team
that decides it, approve or reject with a note, and for the colleague who entered it for a
customer, the step-up with their authenticator. Also the request search."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from paas.errors import InvalidInput, NotPermitted
from paas.servicing import engine
from paas.servicing.correction_ids import correction_id_lines, reveal_correction_id
from paas.servicing.desk import desk_request, find_requests, visible_queues
from paas.servicing.evidence import read_attached
from saas.auth import client_address, principal, staff_required
from saas.console import blueprint
from saas.console.documents import show_document
from saas.console.servicing.forms import DecisionForm, IdRevealForm, PlainForm, StepUpForm
from saas.i18n import error_text
from saas.servicing.confirming import outcome_status, outcome_text
from saas.transaction import uow

_REQUEST = "/requests/<string(maxlength=16):reference>"


@blueprint.get("/requests")
@staff_required
def find_service_requests():
    query = request.args.get("q", "")[:40]
    lines, error = None, None
    if query:
        try:
            lines = find_requests(uow(), principal(), query)
        except InvalidInput as exc:
            error = error_text(exc)
    page = render_template("console/servicing/search.html", query=query, lines=lines, error=error)
    return page, 422 if error else 200


@blueprint.get(_REQUEST)
@staff_required
def service_request(reference: str):
    return _page(reference)


@blueprint.post(f"{_REQUEST}/decide")
@staff_required
def decide_request(reference: str):
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    approve = request.form.get("decision") == "approve"
    unit = uow()
    try:
        engine.decide(unit, principal(), reference, approve=approve, note=(form.note.data or "")[:300])
    except (InvalidInput, NotPermitted) as error:
        unit.rollback()
        return _page(reference, error=error_text(error), note=form.note.data or ""), error.status
    return redirect(url_for("console.service_request", reference=reference), 303)


@blueprint.post(f"{_REQUEST}/confirm")
@staff_required
def confirm_request(reference: str):
    if not StepUpForm().validate_on_submit():
        abort(400)
    try:
        outcome = engine.confirm(uow(), principal(), reference, (request.form.get("code") or "")[:12],
                                 (request.form.get("contact_code") or "")[:12])
    except (InvalidInput, NotPermitted) as refused:  # the right code, but the policy no longer allows it
        return _page(reference, error=error_text(refused)), refused.status
    if not outcome.confirmed:
        return _page(reference, error=outcome_text(outcome), error_field=outcome.field), outcome_status(outcome)
    return redirect(url_for("console.service_request", reference=reference), 303)


@blueprint.post(f"{_REQUEST}/cancel")
@staff_required
def cancel_request(reference: str):
    if not PlainForm().validate_on_submit():
        abort(400)
    engine.cancel(uow(), principal(), reference)
    return redirect(url_for("console.service_request", reference=reference), 303)


@blueprint.post(f"{_REQUEST}/reveal")
@staff_required
def reveal_request_id(reference: str):
    """One ID number of a name/ID correction, to compare with the uploaded document."""
    form = IdRevealForm()
    if not form.validate_on_submit():
        abort(400)
    unit = uow()
    which = (form.which.data or "")[:12]
    try:
        value = reveal_correction_id(unit, principal(), reference, which, form.reason.data or "",
                                     address=client_address())
    except InvalidInput as error:
        return _page(reference, error=error_text(error)), error.status
    return _page(reference, revealed={"which": which, "value": value})


@blueprint.get(f"{_REQUEST}/documents/<string(maxlength=24):document>")
@staff_required
def request_document(reference: str, document: str):
    found, data = read_attached(uow(), principal(), reference, document)
    return show_document(data, content_type=found.content_type, filename=found.filename)


def _page(reference: str, *, error: str | None = None, note: str = "", revealed: dict | None = None,
          error_field: str | None = None):
    unit = uow()
    view = desk_request(unit, principal(), reference)
    id_lines = correction_id_lines(unit, principal(), reference)
    return render_template("console/servicing/request.html", d=view, r=view.line.request, error=error, note=note,
                           error_field=error_field,  # the code the error is about, marked on the form
                           id_lines=id_lines, revealed=revealed, reveal_form=IdRevealForm(),
                           my_queues=visible_queues(principal()),  # a way back only to a queue one can open
                           decision_form=DecisionForm(), step_up_form=StepUpForm(), cancel_form=PlainForm())
