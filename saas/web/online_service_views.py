"""Opening online service, registering, signing in by SMS code and recovering a password: each
is a first form (who you are) and a code step. Every answer to the first form looks the same
whether or not the details matched; the service decides, the view renders its outcome. A
refused try is committed, so its count and audit entry stay."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from saas.csrf import PageForm

from paas.errors import N_, AuthenticationFailed, DomainError, InvalidInput, TooManyAttempts
from paas.i18n import supported
from paas.security import code_login, codes, enrolment, recovery, registration
from paas.security.login import SecondStepNeeded
from saas.auth import client_address, principal, start_session
from saas.i18n import LANGUAGE_COOKIE, current_locale, error_text
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import uow
from saas.web import blueprint
from saas.web.second_step_views import second_step_page

MAX_FIELD = 256


class StepForm(PageForm):
    """Only the CSRF token: the fields are read from the form as typed."""


def _typed(*names: str) -> dict[str, str]:
    return {name: (request.form.get(name) or "")[:MAX_FIELD] for name in names}


def _refused(template: str, error: DomainError, **context):
    uow().commit()  # the counted try and its audit entry stay
    marked = field_errors(error) if isinstance(error, InvalidInput) else {}
    shown = summary(error) if isinstance(error, InvalidInput) else error_text(error)
    status = 401 if isinstance(error, AuthenticationFailed) else error.status
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else {}
    return render_template(template, form=StepForm(), error=shown, error_field=marked, **context), status, headers


def _locale() -> str:
    return supported(request.cookies.get(LANGUAGE_COOKIE)) or current_locale()


def _signed_in(signed):
    start_session(signed.token, signed.principal)
    return redirect(url_for("web.account") if signed.principal.is_policyholder else url_for("web.products"), 303)


def _bad_form(template: str, **context):
    return render_template(template, form=StepForm(), error=error_text(DomainError(FORM_EXPIRED)),
                           error_field={}, **context), 400


FORM_EXPIRED = N_("This form has expired. Please open it again.")


def _code_page(flow: str, handle: str, ending: str | None, *, status: int = 200, **context):
    return render_template("web/account/code_step.html", form=StepForm(), flow=flow, handle=handle, ending=ending,
                           error=context.pop("error", None), error_field=context.pop("error_field", {}),
                           values=context.pop("values", {})), status


def _code_refused(flow: str, error: DomainError, values: dict):
    uow().commit()
    marked = field_errors(error) if isinstance(error, InvalidInput) else {}
    shown = summary(error) if isinstance(error, InvalidInput) else error_text(error)
    page, status = _code_page(flow, values.get("handle", ""), request.form.get("ending") or None,
                              error=shown, error_field=marked, values={"email": values.get("email", "")})
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else {}
    return page, error.status if not isinstance(error, AuthenticationFailed) else 401, headers


def _first_step(flow: str, page: str, fields: tuple[str, ...], start, **context):
    """The first form of a flow (who you are): the service sends a code (or, for an e-mail
    address, a link: ``start`` answers None), then the code step's page follows."""
    if request.method == "GET":
        return render_template(page, form=StepForm(), values={}, error=None, error_field={}, **context)
    values = _typed(*fields)
    if not StepForm().validate_on_submit():
        return _bad_form(page, values=values, **context)
    try:
        sent = start(values)
    except DomainError as error:
        return _refused(page, error, values=values, **context)
    uow().commit()
    if sent is None:  # an e-mail: the same words whether or not an account has it
        return render_template(page, form=StepForm(), values=values, error=None, error_field={},
                               **{**context, "link_sent": True})
    return _code_page(flow, sent.handle, sent.ending)


def _code_step(flow: str, fields: tuple[str, ...], finish, done):
    """The code step: ``finish`` checks the code (and what else the flow asks), ``done`` answers."""
    values = _typed("handle", "code", *fields)
    if not StepForm().validate_on_submit():
        return _code_page(flow, values["handle"], None, status=400, error=error_text(DomainError(FORM_EXPIRED)))
    try:
        result = finish(values)
    except DomainError as error:
        return _code_refused(flow, error, values)
    except SecondStepNeeded as step:  # the customer's authenticator app is on: its code next
        uow().commit()
        return second_step_page(step.handle)
    return done(result)


def _reset_done(_result):
    uow().commit()
    return redirect(url_for("web.login", reset="1"), 303)


# -- opening online service ------------------------------------------------------------------

@blueprint.route("/enrol", methods=["GET", "POST"])
def enrol():
    if principal() is not None:
        return redirect(url_for("web.account"))
    return _first_step("enrol", "web/account/enrol.html", ("name", "id_number", "policy_number"), lambda v: enrolment.start(
        uow(), v["name"], v["id_number"], v["policy_number"], address=client_address(), locale=_locale()))


@blueprint.post("/enrol/finish")
def enrol_finish():
    return _code_step("enrol", ("password", "email"), lambda v: enrolment.finish(
        uow(), v["handle"], v["code"], v["password"], v["email"], address=client_address(),
        user_agent=request.user_agent.string, locale=_locale()), _signed_in)


# -- a visitor registers ----------------------------------------------------------------------

@blueprint.route("/register", methods=["GET", "POST"])
def register():
    return _first_step("register", "web/account/register.html", ("mobile",), lambda v: registration.start(
        uow(), v["mobile"], address=client_address(), locale=_locale()))


@blueprint.post("/register/finish")
def register_finish():
    return _code_step("register", ("password",), lambda v: registration.finish(
        uow(), v["handle"], v["code"], v["password"], address=client_address(),
        user_agent=request.user_agent.string, locale=_locale()), _signed_in)


# -- signing in with an SMS code ----------------------------------------------------------------

@blueprint.route("/login/sms", methods=["GET", "POST"])
def sms_login():
    return _first_step("sms_login", "web/account/sms_login.html", ("mobile",), lambda v: code_login.start(
        uow(), v["mobile"], address=client_address(), locale=_locale()))


@blueprint.post("/login/sms/finish")
def sms_login_finish():
    return _code_step("sms_login", (), lambda v: code_login.finish(
        uow(), v["handle"], v["code"], address=client_address(), user_agent=request.user_agent.string), _signed_in)


# -- forgot password ------------------------------------------------------------------------

@blueprint.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    return _first_step("reset", "web/account/forgot.html", ("identifier",), lambda v: recovery.start(
        uow(), v["identifier"], address=client_address(), locale=_locale()), link_sent=False)


@blueprint.post("/password/reset")
def reset_password():
    return _code_step("reset", ("password",), lambda v: recovery.finish(
        uow(), codes.RESET, v["handle"], v["code"], v["password"], address=client_address()), _reset_done)


@blueprint.route(recovery.RESET_PATH, methods=["GET", "POST"])
def reset_by_link():
    page = "web/account/reset_link.html"
    handle = (request.values.get("handle") or "")[:64]
    token = (request.values.get("token") or "")[:64]
    if request.method == "GET":
        return render_template(page, form=StepForm(), handle=handle, token=token, error=None, error_field={})
    if not StepForm().validate_on_submit():
        return _bad_form(page, handle=handle, token=token)
    try:
        recovery.finish(uow(), codes.RESET_LINK, handle, token, (request.form.get("password") or "")[:MAX_FIELD],
                        address=client_address())
    except DomainError as error:
        return _refused(page, error, handle=handle, token=token)
    return _reset_done(None)
