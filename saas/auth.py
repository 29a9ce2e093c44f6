"""Who is signed in, for the front ends: Flask-Login keeps the session token in the signed
cookie, and every request checks it against the server-side session (idle timeout,
sign-out, disabled accounts all take effect at once)."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from paas.security import login as login_service
from paas.security import sessions
from paas.security.principal import Principal
from saas.transaction import uow


class SignedInUser(UserMixin):
    def __init__(self, token: str, principal: Principal) -> None:
        self.token = token
        self.principal = principal

    def get_id(self) -> str:
        return self.token


def principal() -> Principal | None:
    user = current_user._get_current_object()  # once through the proxy (and Flask-Login's look-up), not twice
    return user.principal if user.is_authenticated else None


def current_token() -> str | None:
    user = current_user._get_current_object()
    return user.token if user.is_authenticated else None


def client_address() -> str:
    return request.remote_addr or "unknown"


def start_session(token: str, who: Principal) -> None:
    # A fresh cookie session at sign-in: nothing from before (a planted session, an old
    # CSRF token) survives into the signed-in one.
    session.clear()
    login_user(SignedInUser(token, who))
    session.permanent = True
    g.principal = who


def sign_out() -> None:
    """Delete the server-side session (so the old cookie is worthless) and clear the cookie."""
    login_service.sign_out(uow(), current_token(), principal(), address=client_address())
    logout_user()
    session.clear()
    g.principal = None


def policyholder_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        who = principal()
        if who is None:
            from saas.web.redirects import safe_next  # here: saas.web's views import this module

            wanted = request.full_path if request.args else request.path
            # Only a path worth coming back to travels to the login form (None: no ``next`` at all).
            return redirect(url_for("web.login", next=safe_next(wanted, "") or None))
        if not who.is_policyholder:  # staff have the console; a visitor without a policy, the products
            return redirect(url_for("console.home") if who.is_staff else url_for("web.products"))
        return view(*args, **kwargs)

    return wrapper


def applicant_required(view):
    """A policyholder, or a registered visitor about to become one by applying (staff: the console)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        who = principal()
        if who is None or who.is_staff:
            return policyholder_required(view)(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapper


def staff_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        who = principal()
        if who is None:
            return redirect(url_for("console.login"))
        if not who.is_staff:
            abort(404)  # the console does not exist for policyholders
        return view(*args, **kwargs)

    return wrapper


class PortalLoginManager(LoginManager):
    """Flask-Login with its session protection off (the server-side session is the protection):
    Flask-Login still hashed the client's address and user agent (SHA-512) at every request
    before looking whether protection was on at all. Its after-request hook returns at once
    when there is no remember-me cookie to set or clear."""

    def _session_protection_failed(self) -> bool:
        mode = current_app.config.get("SESSION_PROTECTION", self.session_protection)
        if not mode or mode not in ("basic", "strong"):
            return False
        return super()._session_protection_failed()

    def _update_remember_cookie(self, response):
        # No "remember me" here: Flask-Login's after-request hook has nothing to do unless told to.
        if "_remember" not in session and not current_app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
            return response
        return super()._update_remember_cookie(response)


def init_app(app: Flask) -> None:
    manager = PortalLoginManager()
    manager.session_protection = None  # the server-side session is the protection
    manager.init_app(app)

    @manager.user_loader
    def _load(token: str) -> SignedInUser | None:
        who = sessions.resolve_session(uow(), token)
        g.principal = who
        return SignedInUser(token, who) if who else None

    @manager.unauthorized_handler
    def _unauthorized():
        abort(401)
