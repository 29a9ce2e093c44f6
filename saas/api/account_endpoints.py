"""Opening online service, registering, signing in by SMS code, recovering a password and the
account's own settings, for a mobile app: the same services as the web pages. Anonymous steps
need the token of ``GET /csrf-token``; signed-in changes the one of ``GET /me``."""
from __future__ import annotations

from functools import wraps

from flask import abort, jsonify, request
from flask_wtf.csrf import generate_csrf

from paas.errors import N_, DomainError
from paas.security import account_settings, card_check, code_login, codes, customer_totp, enrolment, recovery
from paas.security import registration
from paas.security import second_step, sessions_view, tiers
from paas.security.login import SecondStepNeeded
from saas.api import account_schemas as schemas
from saas.api import blueprint
from saas.api.external_account_endpoints import reports_invalid_input
from saas.auth import client_address, current_token, principal, start_session
from saas.i18n import current_locale, gettext
from saas.transaction import read_only, uow

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
PASSWORD_CHANGED = N_("Your password is changed. Other devices were signed out.")
CARD_VERIFIED = N_("Your bank card is verified: your account can now transact.")
APP_CODE_NEEDED = N_("Your account asks for a second step: send the code of your authenticator app, or a recovery "
                     "code, to POST /login/authenticator with this handle.")
APP_OFF = N_("Your authenticator app is turned off. Codes come by SMS again.")
CLOSED = N_("Online service is closed. Your policies and their records are not affected.")
ENDED = N_("Your other sessions have ended.")
SESSION_ENDED = N_("That session has ended.")


def _body(*names: str) -> dict[str, str]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DomainError(NOT_AN_OBJECT)
    return {name: body[name][:MAX_FIELD] if isinstance(body.get(name), str) else "" for name in names}


def _committed_on_refusal(view):
    """A refused try (a wrong code, a match that failed) is counted and audited: keep it."""
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


def _signed_in_customer():
    who = principal()
    if who is None:
        abort(401)
    if who.is_staff:
        abort(403)
    return who


@blueprint.get("/csrf-token")
def csrf_token():
    return jsonify(schemas.CsrfToken().dump({"csrf_token": generate_csrf()}))


@blueprint.post("/enrolment")
@_committed_on_refusal
def start_enrolment():
    typed = _body("name", "id_number", "policy_number")
    sent = enrolment.start(uow(), typed["name"], typed["id_number"], typed["policy_number"], address=client_address(),
                           locale=current_locale())
    return _code_sent(sent, SENT_IF_MATCHED)


@blueprint.post("/enrolment/finish")
@_committed_on_refusal
def finish_enrolment():
    typed = _body("handle", "code", "password", "email")
    return _signed_in(enrolment.finish(uow(), typed["handle"], typed["code"], typed["password"], typed["email"],
                                       address=client_address(), user_agent=request.user_agent.string,
                                       locale=current_locale()))


@blueprint.post("/registration")
@_committed_on_refusal
def start_registration():
    sent = registration.start(uow(), _body("mobile")["mobile"], address=client_address(), locale=current_locale())
    return _code_sent(sent, SENT_TO_NUMBER)


@blueprint.post("/registration/finish")
@_committed_on_refusal
def finish_registration():
    typed = _body("handle", "code", "password")
    return _signed_in(registration.finish(uow(), typed["handle"], typed["code"], typed["password"],
                                          address=client_address(), user_agent=request.user_agent.string,
                                          locale=current_locale()))


@blueprint.post("/login/sms")
@_committed_on_refusal
def start_sms_login():
    sent = code_login.start(uow(), _body("mobile")["mobile"], address=client_address(), locale=current_locale())
    return _code_sent(sent, SENT_IF_ACCOUNT)


@blueprint.post("/login/sms/finish")
@_committed_on_refusal
def finish_sms_login():
    typed = _body("handle", "code")
    try:
        signed = code_login.finish(uow(), typed["handle"], typed["code"], address=client_address(),
                                   user_agent=request.user_agent.string)
    except SecondStepNeeded as step:  # the customer's authenticator app is on
        uow().commit()
        return jsonify(schemas.SecondStep().dump({"handle": step.handle, "message": gettext(APP_CODE_NEEDED)})), 202
    return _signed_in(signed)


@blueprint.post("/login/authenticator")
@_committed_on_refusal
def finish_second_step():
    typed = _body("handle", "code")
    return _signed_in(second_step.finish(uow(), typed["handle"], typed["code"], address=client_address(),
                                         user_agent=request.user_agent.string))


@blueprint.post("/password/forgot")
@_committed_on_refusal
def forgot_password():
    sent = recovery.start(uow(), _body("identifier")["identifier"], address=client_address(), locale=current_locale())
    if sent is None:
        body = {"handle": None, "ending": None, "message": gettext(LINK_IF_ACCOUNT)}
    else:
        body = {"handle": sent.handle, "ending": sent.ending, "message": gettext(SENT_IF_ACCOUNT, ending=sent.ending)}
    return jsonify(schemas.ResetStarted().dump(body)), 202


@blueprint.post("/password/reset")
@_committed_on_refusal
def reset_password():
    typed = _body("handle", "code", "password")
    recovery.finish(uow(), codes.RESET, typed["handle"], typed["code"], typed["password"], address=client_address())
    return jsonify(schemas.Done().dump({"message": gettext(PASSWORD_RESET)}))


@blueprint.get("/account")
@read_only
def account():
    me = account_settings.overview(uow(), _signed_in_customer())
    tier = {**me.tier.__dict__, "label": gettext(tiers.TIER_LABELS[me.tier.tier])}
    return jsonify(schemas.Account().dump({**me.__dict__, "tier": tier}))


@blueprint.post("/account/password")
@_committed_on_refusal
def change_password():
    typed = _body("current_password", "password")
    account_settings.change_password(uow(), _signed_in_customer(), typed["current_password"], typed["password"],
                                     current_token())
    return jsonify(schemas.Done().dump({"message": gettext(PASSWORD_CHANGED)}))


@blueprint.post("/account/card")
@_committed_on_refusal
def verify_card():
    card_check.verify_card(uow(), _signed_in_customer(), _body("card_number")["card_number"])
    return jsonify(schemas.Done().dump({"message": gettext(CARD_VERIFIED)}))


@blueprint.post("/account/close")
@_committed_on_refusal
def close_online_service():
    account_settings.close_online_service(uow(), _signed_in_customer(), _body("current_password")["current_password"])
    return jsonify(schemas.Done().dump({"message": gettext(CLOSED)}))


@blueprint.get("/account/authenticator")
def authenticator_setup():
    setup = customer_totp.new_setup(_signed_in_customer())
    return jsonify(schemas.AuthenticatorSetup().dump({"secret": setup.secret, "uri": setup.uri}))


@blueprint.post("/account/authenticator")
@_committed_on_refusal
def authenticator_on():
    typed = _body("secret", "code", "current_password")
    codes_shown = customer_totp.turn_on(uow(), _signed_in_customer(), typed["secret"], typed["code"],
                                        typed["current_password"])
    return jsonify(schemas.RecoveryCodes().dump({"recovery_codes": codes_shown}))


@blueprint.post("/account/authenticator/off")
@_committed_on_refusal
def authenticator_off():
    customer_totp.turn_off(uow(), _signed_in_customer(), _body("current_password")["current_password"])
    return jsonify(schemas.Done().dump({"message": gettext(APP_OFF)}))


@blueprint.get("/sessions")
@read_only
def session_list():
    lines = sessions_view.own_sessions(uow(), _signed_in_customer(), current_token())
    return jsonify(schemas.SessionList().dump({"sessions": [
        {**line.__dict__, "place": gettext(line.place, **line.place_params)} for line in lines]}))


@blueprint.delete("/sessions/<int:session_id>")
@_committed_on_refusal
def end_session(session_id: int):
    sessions_view.end_session(uow(), _signed_in_customer(), session_id, current_token())
    return jsonify(schemas.Done().dump({"message": gettext(SESSION_ENDED)}))


@blueprint.post("/sessions/end-others")
def end_other_sessions():
    sessions_view.end_other_sessions(uow(), _signed_in_customer(), current_token())
    return jsonify(schemas.Done().dump({"message": gettext(ENDED)}))
