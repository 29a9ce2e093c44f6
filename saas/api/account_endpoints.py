"""The signed-in customer's own account through the API: profile and tier, password, the
bank-card check that unlocks Transact, the authenticator app, sessions (another customer's is
not found), closing online service. Changes need the CSRF token of ``GET /me``."""
from __future__ import annotations

from flask import abort, jsonify

from paas.errors import N_
from paas.security import account_settings, card_check, customer_totp, sessions_view, tiers
from saas.api import account_schemas as schemas
from saas.api import blueprint
from saas.api.online_service_endpoints import body, committed_on_refusal
from saas.auth import current_token, principal
from saas.i18n import gettext
from saas.transaction import read_only, uow

PASSWORD_CHANGED = N_("Your password is changed. Other devices were signed out.")
CARD_VERIFIED = N_("Your bank card is verified: your account can now transact.")
APP_OFF = N_("Your authenticator app is turned off. Codes come by SMS again.")
CLOSED = N_("Online service is closed. Your policies and their records are not affected.")
ENDED = N_("Your other sessions have ended.")
SESSION_ENDED = N_("That session has ended.")


def _signed_in_customer():
    who = principal()
    if who is None:
        abort(401)
    if who.is_staff:
        abort(403)
    return who


@blueprint.get("/account")
@read_only
def account():
    me = account_settings.overview(uow(), _signed_in_customer())
    tier = {**me.tier.__dict__, "label": gettext(tiers.TIER_LABELS[me.tier.tier])}
    return jsonify(schemas.Account().dump({**me.__dict__, "tier": tier}))


@blueprint.post("/account/password")
@committed_on_refusal
def change_password():
    typed = body("current_password", "password")
    account_settings.change_password(uow(), _signed_in_customer(), typed["current_password"], typed["password"],
                                     current_token())
    return jsonify(schemas.Done().dump({"message": gettext(PASSWORD_CHANGED)}))


@blueprint.post("/account/card")
@committed_on_refusal
def verify_card():
    card_check.verify_card(uow(), _signed_in_customer(), body("card_number")["card_number"])
    return jsonify(schemas.Done().dump({"message": gettext(CARD_VERIFIED)}))


@blueprint.post("/account/close")
@committed_on_refusal
def close_online_service():
    account_settings.close_online_service(uow(), _signed_in_customer(), body("current_password")["current_password"])
    return jsonify(schemas.Done().dump({"message": gettext(CLOSED)}))


@blueprint.get("/account/authenticator")
def authenticator_setup():
    setup = customer_totp.new_setup(_signed_in_customer())
    return jsonify(schemas.AuthenticatorSetup().dump({"secret": setup.secret, "uri": setup.uri}))


@blueprint.post("/account/authenticator")
@committed_on_refusal
def authenticator_on():
    typed = body("secret", "code", "current_password")
    codes_shown = customer_totp.turn_on(uow(), _signed_in_customer(), typed["secret"], typed["code"],
                                        typed["current_password"])
    return jsonify(schemas.RecoveryCodes().dump({"recovery_codes": codes_shown}))


@blueprint.post("/account/authenticator/off")
@committed_on_refusal
def authenticator_off():
    customer_totp.turn_off(uow(), _signed_in_customer(), body("current_password")["current_password"])
    return jsonify(schemas.Done().dump({"message": gettext(APP_OFF)}))


@blueprint.get("/sessions")
@read_only
def session_list():
    lines = sessions_view.own_sessions(uow(), _signed_in_customer(), current_token())
    return jsonify(schemas.SessionList().dump({"sessions": [
        {**line.__dict__, "place": gettext(line.place, **line.place_params)} for line in lines]}))


@blueprint.delete("/sessions/<int:session_id>")
@committed_on_refusal
def end_session(session_id: int):
    sessions_view.end_session(uow(), _signed_in_customer(), session_id, current_token())
    return jsonify(schemas.Done().dump({"message": gettext(SESSION_ENDED)}))


@blueprint.post("/sessions/end-others")
def end_other_sessions():
    sessions_view.end_other_sessions(uow(), _signed_in_customer(), current_token())
    return jsonify(schemas.Done().dump({"message": gettext(ENDED)}))
