"""Opening online service, registering, signing in by SMS code (and the authenticator's second
step) and recovering a password, for a mobile app: the same services as the web pages. These
steps are anonymous: they need the token of ``GET /csrf-token`` in ``X-CSRFToken``. A refused
try (a wrong code, a match that failed) is committed, so its count and audit entry stay."""
from __future__ import annotations

from functools import wraps

from flask import jsonify, request
from flask_wtf.csrf import generate_csrf

from paas.errors import N_, DomainError
from paas.security import code_login, codes, enrolment, recovery, registration, second_step
from paas.security.login import SecondStepNeeded
from saas.api import account_schemas as schemas
from saas.api import blueprint
from saas.api.external_account_endpoints import reports_invalid_input
from saas.auth import client_address, start_session
from saas.i18n import current_locale, gettext
from saas.transaction import uow

MAX_FIELD = 256
NOT_AN_OBJECT = N_("Send a JSON object (Content-Type: application/json).")
SENT_IF_MATCHED = N_("If the details match our records, we sent a code to the mobile on file ending %(ending)s. "
                     "It works for 5 minutes.")
SENT_TO_NUMBER = N_("We sent a code to the number ending %(ending)s. It works for 5 minutes.")
SENT_IF_ACCOUNT = N_("If an account has this number, we sent a code to its mobile on file ending %(ending)s. "
                     "It works for 5 minutes.")
LINK_IF_ACCOUNT = N_("If an account has this confirmed e-mail address, we sent it a link to choose a new password. "
                     "It works for 24 hours.")
PASSWORD_RESET = N_("Your password is changed and every device was signed out. Sign in with the new password.")
APP_CODE_NEEDED = N_("Your account asks for a second step: send the code of your authenticator app, or a recovery "
                     "code, to POST /login/authenticator with this handle.")


def body(*names: str) -> dict[str, str]:
    """The JSON object's fields as text (anything else counts as blank, so the service's own
    message says what is missing)."""
    sent = request.get_json(silent=True)
    if not isinstance(sent, dict):
        raise DomainError(NOT_AN_OBJECT)
    return {name: sent[name][:MAX_FIELD] if isinstance(sent.get(name), str) else "" for name in names}


def committed_on_refusal(view):
    """A refused try is counted and audited: keep it, then answer with the error (422 naming the field)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DomainError:
            uow().commit()
            raise
    return reports_invalid_input(wrapper)


def _signed_in(signed):
    start_session(signed.token, signed.principal)
    who = signed.principal
    return jsonify(schemas.SignedIn().dump({"display_name": who.display_name, "policyholder": who.is_policyholder,
                                            "csrf_token": generate_csrf()}))


def _code_sent(sent, message: str):
    return jsonify(schemas.CodeSent().dump({"handle": sent.handle, "ending": sent.ending,
                                            "message": gettext(message, ending=sent.ending)})), 202


@blueprint.get("/csrf-token")
def csrf_token():
    return jsonify(schemas.CsrfToken().dump({"csrf_token": generate_csrf()}))


@blueprint.post("/enrolment")
@committed_on_refusal
def start_enrolment():
    typed = body("name", "id_number", "policy_number")
    sent = enrolment.start(uow(), typed["name"], typed["id_number"], typed["policy_number"], address=client_address(),
                           locale=current_locale())
    return _code_sent(sent, SENT_IF_MATCHED)


@blueprint.post("/enrolment/finish")
@committed_on_refusal
def finish_enrolment():
    typed = body("handle", "code", "password", "email")
    return _signed_in(enrolment.finish(uow(), typed["handle"], typed["code"], typed["password"], typed["email"],
                                       address=client_address(), user_agent=request.user_agent.string,
                                       locale=current_locale()))


@blueprint.post("/registration")
@committed_on_refusal
def start_registration():
    sent = registration.start(uow(), body("mobile")["mobile"], address=client_address(), locale=current_locale())
    return _code_sent(sent, SENT_TO_NUMBER)


@blueprint.post("/registration/finish")
@committed_on_refusal
def finish_registration():
    typed = body("handle", "code", "password")
    return _signed_in(registration.finish(uow(), typed["handle"], typed["code"], typed["password"],
                                          address=client_address(), user_agent=request.user_agent.string,
                                          locale=current_locale()))


@blueprint.post("/login/sms")
@committed_on_refusal
def start_sms_login():
    sent = code_login.start(uow(), body("mobile")["mobile"], address=client_address(), locale=current_locale())
    return _code_sent(sent, SENT_IF_ACCOUNT)


@blueprint.post("/login/sms/finish")
@committed_on_refusal
def finish_sms_login():
    typed = body("handle", "code")
    try:
        signed = code_login.finish(uow(), typed["handle"], typed["code"], address=client_address(),
                                   user_agent=request.user_agent.string)
    except SecondStepNeeded as step:  # the customer's authenticator app is on
        uow().commit()
        return jsonify(schemas.SecondStep().dump({"handle": step.handle, "message": gettext(APP_CODE_NEEDED)})), 202
    return _signed_in(signed)


@blueprint.post("/login/authenticator")
@committed_on_refusal
def finish_second_step():
    typed = body("handle", "code")
    return _signed_in(second_step.finish(uow(), typed["handle"], typed["code"], address=client_address(),
                                         user_agent=request.user_agent.string))


@blueprint.post("/password/forgot")
@committed_on_refusal
def forgot_password():
    sent = recovery.start(uow(), body("identifier")["identifier"], address=client_address(), locale=current_locale())
    if sent is None:
        answer = {"handle": None, "ending": None, "message": gettext(LINK_IF_ACCOUNT)}
    else:
        answer = {"handle": sent.handle, "ending": sent.ending, "message": gettext(SENT_IF_ACCOUNT, ending=sent.ending)}
    return jsonify(schemas.ResetStarted().dump(answer)), 202


@blueprint.post("/password/reset")
@committed_on_refusal
def reset_password():
    typed = body("handle", "code", "password")
    recovery.finish(uow(), codes.RESET, typed["handle"], typed["code"], typed["password"], address=client_address())
    return jsonify(schemas.Done().dump({"message": gettext(PASSWORD_RESET)}))
