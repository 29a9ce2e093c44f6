"""The second step of signing in (the customer's authenticator app or a recovery code), and
turning the app on or off from the account page."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from saas.csrf import PageForm

from paas.errors import DomainError, InvalidInput
from paas.notices.qr import qr_svg
from paas.security import customer_totp, second_step
from saas.auth import client_address, principal, start_session
from saas.i18n import error_text
from saas.servicing.form_errors import field_errors
from saas.transaction import uow
from saas.web import blueprint


class _Form(PageForm):
    """Only the CSRF token."""


def second_step_page(handle: str, *, error: str | None = None, status: int = 200):
    return render_template("web/account/second_step.html", form=_Form(), handle=handle, error=error), status


@blueprint.post("/login/authenticator")
def second_step_finish():
    handle = (request.form.get("handle") or "")[:64]
    if not _Form().validate_on_submit():
        return second_step_page(handle, status=400)
    try:
        signed = second_step.finish(uow(), handle, (request.form.get("code") or "")[:32], address=client_address(),
                                    user_agent=request.user_agent.string)
    except DomainError as error:
        uow().commit()  # the wrong try stays counted
        return second_step_page(handle, error=error_text(error), status=error.status)
    start_session(signed.token, signed.principal)
    return redirect(url_for("web.asset_sheet"), 303)


def _customer():
    who = principal()
    if who is None:
        abort(401)
    if who.is_staff:
        abort(404)
    return who


@blueprint.route("/account/authenticator", methods=["GET", "POST"])
def authenticator():
    who = principal()
    if who is None:
        return redirect(url_for("web.login", next=request.path))
    _customer()
    page = "web/account/authenticator.html"
    if request.method == "GET":
        setup = customer_totp.new_setup(who)
        return render_template(page, form=_Form(), setup=setup, qr=qr_svg(setup.uri), recovery=None, error=None,
                               error_field={})
    if not _Form().validate_on_submit():
        abort(400)
    secret = (request.form.get("secret") or "")[:64]
    try:
        recovery = customer_totp.turn_on(uow(), who, secret, (request.form.get("code") or "")[:32],
                                         (request.form.get("current_password") or "")[:256])
    except DomainError as error:
        uow().commit()
        marked = field_errors(error) if isinstance(error, InvalidInput) else {}
        setup = customer_totp.new_setup(who, secret if len(secret) == 32 else None)
        return render_template(page, form=_Form(), setup=setup, qr=qr_svg(setup.uri), recovery=None,
                               error=error_text(error), error_field=marked), 401 if error.status == 400 else error.status
    return render_template(page, form=_Form(), setup=None, recovery=recovery, error=None, error_field={})
