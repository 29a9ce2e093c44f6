"""The customer's account page: profile (masked), contacts with links to the servicing changes,
tier and how to unlock Transact (the bank-card check), security settings (password, e-mail),
sessions (end one or all others), language, and closing online service."""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_login import logout_user
from sqlalchemy import select

from paas.errors import N_, DomainError, InvalidInput
from paas.policies.models import Policy
from paas.security import account_settings, card_check, customer_totp, email_links, sessions_view, tiers
from saas.auth import current_token, principal
from saas.i18n import error_text
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import read_only, uow
from saas.web import blueprint
from saas.web.online_service_views import MAX_FIELD, StepForm

ACCOUNT_PAGE = "web/account/account.html"
CONFIRM_CLOSE = N_("Tick the box to confirm that you want to close online service.")
DONE = {  # what the page says after a change took effect (?done=...)
    "card": N_("Your bank card is verified: your account can now transact."),
    "password": N_("Your password is changed. Other devices were signed out."),
    "email": N_("We sent a link to the new e-mail address. Open it to confirm the address."),
    "email_confirmed": N_("Your e-mail address is confirmed."),
    "sessions": N_("Your other sessions have ended."),
    "authenticator_off": N_("Your authenticator app is turned off. Codes come by SMS again."),
}


def signed_in_required(view):
    """A policyholder or a registered visitor (staff have the console)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        who = principal()
        if who is None:
            return redirect(url_for("web.login", next=request.path))
        if who.is_staff:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def _page(*, error: str | None = None, error_field: dict | None = None, status: int = 200, notice: str | None = None):
    unit, who = uow(), principal()
    first_policy = unit.session.scalar(select(Policy.policy_number).where(Policy.owner_id == who.customer_id)
                                       .order_by(Policy.id).limit(1)) if who.customer_id else None
    return render_template(
        ACCOUNT_PAGE, me=account_settings.overview(unit, who), first_policy=first_policy,
        sessions=sessions_view.own_sessions(unit, who, current_token()), form=StepForm(),
        tier_labels=tiers.TIER_LABELS, proofs=tiers.PROOF_LABELS, error=error, error_field=error_field or {},
        notice=notice, has_notices_page="web.notice_preferences" in _endpoints(),
    ), status


def _endpoints() -> set[str]:
    return set(current_app.view_functions)


def _refused(error: DomainError):
    uow().commit()  # counted tries and audit entries stay
    if isinstance(error, InvalidInput):
        return _page(error=summary(error), error_field=field_errors(error), status=error.status)
    return _page(error=error_text(error), status=401 if error.status == 400 else error.status)


@blueprint.get("/account")
@signed_in_required
@read_only
def account():
    return _page(notice=DONE.get(request.args.get("done", "")))


def _checked_form() -> None:
    if not StepForm().validate_on_submit():
        abort(400)


@blueprint.post("/account/card")
@signed_in_required
def verify_card():
    _checked_form()
    try:
        card_check.verify_card(uow(), principal(), (request.form.get("card_number") or "")[:MAX_FIELD])
    except DomainError as error:
        return _refused(error)
    return redirect(url_for("web.account", done="card") + "#tier", 303)


@blueprint.post("/account/password")
@signed_in_required
def change_password():
    _checked_form()
    try:
        account_settings.change_password(uow(), principal(), (request.form.get("current_password") or "")[:MAX_FIELD],
                                         (request.form.get("password") or "")[:MAX_FIELD], current_token())
    except DomainError as error:
        return _refused(error)
    return redirect(url_for("web.account", done="password") + "#security", 303)


@blueprint.post("/account/email")
@signed_in_required
def add_email():
    _checked_form()
    try:
        account_settings.add_email(uow(), principal(), (request.form.get("email") or "")[:MAX_FIELD])
    except DomainError as error:
        return _refused(error)
    return redirect(url_for("web.account", done="email") + "#security", 303)


@blueprint.get(email_links.CONFIRM_PATH)
def confirm_email():
    """Opened from the e-mail, signed in or not: the link alone proves the address."""
    try:
        email_links.confirm(uow(), (request.args.get("handle") or "")[:64], (request.args.get("token") or "")[:64])
    except DomainError as error:
        uow().commit()
        return render_template("web/account/link_result.html", error=error_text(error)), error.status
    uow().commit()
    if principal() is not None:
        return redirect(url_for("web.account", done="email_confirmed") + "#security", 303)
    return render_template("web/account/link_result.html", error=None)


@blueprint.post("/account/authenticator/off")
@signed_in_required
def authenticator_off():
    _checked_form()
    try:
        customer_totp.turn_off(uow(), principal(), (request.form.get("current_password") or "")[:MAX_FIELD])
    except DomainError as error:
        return _refused(error)
    return redirect(url_for("web.account", done="authenticator_off") + "#security", 303)


@blueprint.post("/account/sessions/<int:session_id>/end")
@signed_in_required
def end_session(session_id: int):
    _checked_form()
    try:
        sessions_view.end_session(uow(), principal(), session_id, current_token())
    except InvalidInput as error:
        return _refused(error)
    return redirect(url_for("web.account") + "#sessions", 303)


@blueprint.post("/account/sessions/end-others")
@signed_in_required
def end_other_sessions():
    _checked_form()
    sessions_view.end_other_sessions(uow(), principal(), current_token())
    return redirect(url_for("web.account", done="sessions") + "#sessions", 303)


@blueprint.post("/account/close")
@signed_in_required
def close_online_service():
    _checked_form()
    if request.form.get("confirm") != "yes":
        return _refused(InvalidInput(CONFIRM_CLOSE, field="confirm"))
    try:
        account_settings.close_online_service(uow(), principal(), (request.form.get("current_password") or "")[:MAX_FIELD])
    except DomainError as error:
        return _refused(error)
    uow().commit()
    logout_user()  # its sessions are gone already; the cookie goes too
    session.clear()
    g.principal = None
    return render_template("web/account/closed.html")
