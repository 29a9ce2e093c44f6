"""A policyholder's servicing requests: the history, one request (its preview, the code box
while it waits for the SMS code), confirming and cancelling."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from paas.errors import InvalidInput, NotPermitted, TooManyAttempts
from paas.servicing import engine
from paas.servicing.history import customer_request, customer_requests
from saas.auth import policyholder_required, principal
from saas.i18n import error_text
from saas.servicing.confirming import outcome_status, outcome_text
from saas.transaction import read_only, uow
from saas.web import blueprint
from saas.web.servicing.forms import CancelForm, ConfirmForm

_REQUEST = "/requests/<string(maxlength=16):reference>"


@blueprint.get("/requests")
@policyholder_required
@read_only
def service_requests():
    policy_number = request.args.get("policy", "")[:32] or None
    lines = customer_requests(uow(), principal().customer_id, policy_number=policy_number)
    return render_template("web/servicing/requests.html", requests=lines, policy_number=policy_number)


@blueprint.get(_REQUEST)
@policyholder_required
@read_only
def service_request(reference: str):
    return _request_page(reference)


@blueprint.post(f"{_REQUEST}/confirm")
@policyholder_required
def confirm_request(reference: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        outcome = engine.confirm(uow(), principal(), reference, (request.form.get("code") or "")[:12],
                                 (request.form.get("contact_code") or "")[:12])
    except (InvalidInput, NotPermitted) as refused:  # the right code, but the policy no longer allows it
        return _request_page(reference, error=error_text(refused)), refused.status
    if not outcome.confirmed:
        return (_request_page(reference, error=outcome_text(outcome), error_field=outcome.field),
                outcome_status(outcome))
    return redirect(url_for("web.service_request", reference=reference), 303)


@blueprint.post(f"{_REQUEST}/resend")
@policyholder_required
def resend_code(reference: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        engine.resend_code(uow(), principal(), reference)
    except (InvalidInput, TooManyAttempts) as error:
        return _request_page(reference, error=error_text(error)), error.status
    return redirect(url_for("web.service_request", reference=reference, resent=1), 303)


@blueprint.post(f"{_REQUEST}/cancel")
@policyholder_required
def cancel_request(reference: str):
    if not CancelForm().validate_on_submit():
        abort(400)
    engine.cancel(uow(), principal(), reference)
    return redirect(url_for("web.service_request", reference=reference), 303)


def _request_page(reference: str, *, error: str | None = None, error_field: str | None = None) -> str:
    """``error_field``: the code the error is about (the first or the new contact's), marked on the form."""
    line = customer_request(uow(), principal().customer_id, reference)
    return render_template("web/servicing/request.html", r=line, error=error, error_field=error_field,
                           confirm_form=ConfirmForm(),
                           cancel_form=CancelForm(), resent=bool(request.args.get("resent")) and not error)
