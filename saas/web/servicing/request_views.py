"""A policyholder's servicing requests: the history, one request (its preview, the code box
while it waits for the SMS code), confirming and cancelling."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from paas.errors import AuthenticationFailed, InvalidInput, NotPermitted, TooManyAttempts
from paas.servicing import engine
from paas.servicing.history import customer_request, customer_requests
from saas.auth import policyholder_required, principal
from saas.i18n import error_text
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
    unit = uow()
    try:
        engine.confirm(unit, principal(), reference, (request.form.get("code") or "")[:12],
                       (request.form.get("contact_code") or "")[:12])
    except (InvalidInput, AuthenticationFailed, NotPermitted, TooManyAttempts) as error:
        # Keep the failed attempt counted: the request owns the transaction and would
        # otherwise roll it back with this 4xx answer, and the attempts limit with it.
        unit.commit()
        status = 422 if isinstance(error, (InvalidInput, AuthenticationFailed)) else error.status
        return _request_page(reference, error=error_text(error)), status
    return redirect(url_for("web.service_request", reference=reference), 303)


@blueprint.post(f"{_REQUEST}/cancel")
@policyholder_required
def cancel_request(reference: str):
    if not CancelForm().validate_on_submit():
        abort(400)
    engine.cancel(uow(), principal(), reference)
    return redirect(url_for("web.service_request", reference=reference), 303)


def _request_page(reference: str, *, error: str | None = None) -> str:
    line = customer_request(uow(), principal().customer_id, reference)
    return render_template("web/servicing/request.html", r=line, error=error, confirm_form=ConfirmForm(),
                           cancel_form=CancelForm())
