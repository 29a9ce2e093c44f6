"""Staff sign-in: e-mail, password and an authenticator code, all three every time."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from paas.errors import AuthenticationFailed, InvalidInput, TooManyAttempts
from paas.security import login as login_service
from saas.auth import client_address, principal, sign_out, start_session
from saas.console import blueprint
from saas.console.forms import SignOutForm, StaffLoginForm
from saas.i18n import error_text, gettext
from saas.transaction import uow

MAX_FIELD = 256


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    who = principal()
    if who is not None and who.is_staff:
        return redirect(url_for("console.home"))
    form = StaffLoginForm()
    if request.method == "GET":
        return render_template("console/login.html", form=form, error=None)
    if not form.validate_on_submit():
        return render_template("console/login.html", form=form, error=gettext("Please try again.")), 400
    unit = uow()
    try:
        signed_in = login_service.sign_in_staff(
            unit,
            (form.email.data or "")[:MAX_FIELD],
            (form.password.data or "")[:MAX_FIELD],
            (form.code.data or "")[:16],
            address=client_address(),
            user_agent=request.user_agent.string,
        )
    except (AuthenticationFailed, TooManyAttempts, InvalidInput) as error:
        unit.commit()  # keep the audit record of the failed attempt
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else {}
        page = render_template("console/login.html", form=form, error=error_text(error), email=form.email.data)
        return page, error.status, headers
    start_session(signed_in.token, signed_in.principal)
    return redirect(url_for("console.home"))


@blueprint.route("/logout", methods=["POST"])
def logout():
    if SignOutForm().validate_on_submit():
        sign_out()
    return redirect(url_for("console.login"))
