"""Signing in and out of the policyholder web."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from paas.errors import AuthenticationFailed, InvalidInput, TooManyAttempts
from paas.i18n import supported
from paas.security import login as login_service
from paas.security.login import SecondStepNeeded
from paas.security.preferences import set_locale
from saas.auth import client_address, principal, sign_out, start_session
from saas.i18n import LANGUAGE_COOKIE, error_text, gettext
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import uow
from saas.web import blueprint
from saas.web.forms import LoginForm, LogoutForm
from saas.web.redirects import safe_next
from saas.web.second_step_views import second_step_page

MAX_FIELD = 256


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    who = principal()
    if who is not None and who.is_policyholder:
        return redirect(url_for("web.asset_sheet"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return render_template("web/login.html", form=form, error=None)
    if not form.validate_on_submit():  # only the CSRF token can fail here
        return render_template("web/login.html", form=form, error=gettext("Please try again.")), 400
    identifier = (form.identifier.data or "")[:MAX_FIELD]
    password = (form.password.data or "")[:MAX_FIELD]
    unit = uow()
    try:
        signed_in = login_service.sign_in_policyholder(
            unit, identifier, password, address=client_address(), user_agent=request.user_agent.string
        )
    except (AuthenticationFailed, TooManyAttempts, InvalidInput) as error:
        unit.commit()  # keep the audit record and any notice of the failed attempt
        status = error.status if not isinstance(error, AuthenticationFailed) else 401
        marked = field_errors(error) if isinstance(error, InvalidInput) else {}
        shown = summary(error) if isinstance(error, InvalidInput) else error_text(error)
        response = render_template("web/login.html", form=form, error=shown, error_field=marked, identifier=identifier)
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else {}
        return response, status, headers
    except SecondStepNeeded as step:  # the customer's authenticator app is on
        unit.commit()
        return second_step_page(step.handle)
    chosen = supported(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:  # the language picked before signing in becomes the account's: SMS and mail follow it
        set_locale(unit, signed_in.principal, chosen)
    start_session(signed_in.token, signed_in.principal)
    return redirect(safe_next(form.next.data, url_for("web.asset_sheet")))


@blueprint.route("/logout", methods=["POST"])
def logout():
    if LogoutForm().validate_on_submit():
        sign_out()
    return redirect(url_for("web.login"))
