"""One request in the console: its preview and history, the customer's document for the team
that decides it, approve or reject with a note, and for the colleague who entered it for a
customer, the step-up with their authenticator. Also the request search."""
from __future__ import annotations

from io import BytesIO

from flask import abort, redirect, render_template, request, send_file, url_for

from paas.errors import AuthenticationFailed, InvalidInput, NotPermitted, TooManyAttempts
from paas.servicing import engine
from paas.servicing.desk import desk_request, find_requests
from paas.servicing.evidence import read_attached
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.servicing.forms import DecisionForm, PlainForm, StepUpForm
from saas.i18n import error_text
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
    unit = uow()
    try:
        engine.confirm(unit, principal(), reference, (request.form.get("code") or "")[:12],
                       (request.form.get("contact_code") or "")[:12])
    except (InvalidInput, AuthenticationFailed, NotPermitted, TooManyAttempts) as error:
        unit.commit()  # the failed attempt counts towards the limit
        status = 422 if isinstance(error, (InvalidInput, AuthenticationFailed)) else error.status
        return _page(reference, error=error_text(error)), status
    return redirect(url_for("console.service_request", reference=reference), 303)


@blueprint.post(f"{_REQUEST}/cancel")
@staff_required
def cancel_request(reference: str):
    if not PlainForm().validate_on_submit():
        abort(400)
    engine.cancel(uow(), principal(), reference)
    return redirect(url_for("console.service_request", reference=reference), 303)


@blueprint.get(f"{_REQUEST}/documents/<string(maxlength=24):document>")
@staff_required
def request_document(reference: str, document: str):
    found, data = read_attached(uow(), principal(), reference, document)
    # Shown in the browser (inline), typed by what its content was found to be.
    response = send_file(BytesIO(data), mimetype=found.content_type, as_attachment=False,
                         download_name=found.filename, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(reference: str, *, error: str | None = None, note: str = ""):
    view = desk_request(uow(), principal(), reference)
    return render_template("console/servicing/request.html", d=view, r=view.line.request, error=error, note=note,
                           decision_form=DecisionForm(), step_up_form=StepUpForm(), cancel_form=PlainForm())
