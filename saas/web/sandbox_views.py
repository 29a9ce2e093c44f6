"""The sandbox provider's hosted checkout page (sandbox mode only; 404 otherwise). It stands
in for Stripe's page: no sign-in, the session id in the address is the customer's ticket."""
from __future__ import annotations

from flask import abort, redirect, render_template

from paas.billing import sandbox_checkout as hosted
from paas.errors import InvalidInput
from saas.i18n import error_text
from saas.payment_links import own_page
from saas.transaction import platform
from saas.web import blueprint
from saas.web.payment_forms import SandboxCardForm

_SESSION = "/sandbox/checkout/<string(maxlength=100):session_id>"


@blueprint.get(_SESSION)
def sandbox_checkout(session_id: str):
    session = hosted.sandbox_session(platform(), session_id)
    if session.status == "complete":  # "Back" after paying: the receipt, as Stripe's page sends one on
        return redirect(own_page(session.success_url), 303)
    return render_template("web/sandbox_checkout.html", session=session, form=SandboxCardForm())


@blueprint.post(_SESSION)
def sandbox_pay(session_id: str):
    form = SandboxCardForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = hosted.pay_sandbox_checkout(platform(), session_id, form.card_number.data or "",
                                                       form.expiry.data or "", form.cvc.data or "")
    except InvalidInput as error:
        return _page(session_id, error=error_text(error), field=error.field), 422
    if result.paid:
        return redirect(own_page(result.redirect_url), 303)
    return _page(session_id, declined=result.decline_code), 402


def _page(session_id: str, **outcome):
    session = hosted.sandbox_session(platform(), session_id)
    form = SandboxCardForm(formdata=None)  # never echo the card number back
    return render_template("web/sandbox_checkout.html", session=session, form=form, **outcome)
