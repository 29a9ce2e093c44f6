"""CSRF protection (Flask-WTF) that looks at the request's method first: a GET, HEAD or
OPTIONS changes nothing, so it is let through before the exemptions are looked up (a
blueprint and a view name built at every request). Every method in WTF_CSRF_METHODS is
checked exactly as Flask-WTF checks it, exemptions included.

Pages and their forms (``PageForm``) get their token from ``page_token``, which signs a
session's token once per process instead of at every page: with no time limit (WTF_CSRF_TIME_LIMIT None) a signed token's
time stamp is never checked, so every copy of it is as good as a fresh one, and signing it
was about 50 µs of each page."""
from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect, generate_csrf

_SIGNED_KEY = "saas.csrf.signed"
_SIGNED_KEPT = 50_000  # sessions' tokens kept signed per process; beyond, the copies start again


class MethodFirstCSRFProtect(CSRFProtect):
    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        app.extensions[_SIGNED_KEY] = {}
        app.jinja_env.globals["csrf_token"] = page_token  # Flask-WTF's own global is generate_csrf

    def protect(self, apply_exemptions: bool = False) -> None:
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return  # Flask-WTF returns here too, after the exemptions' look-up
        super().protect(apply_exemptions=apply_exemptions)


def page_token() -> str:
    """The request's CSRF token, as ``generate_csrf`` gives it, signed once per session token."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g or config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None:
        return generate_csrf()  # signed already this request, or its time stamp matters
    signed_by_token = current_app.extensions[_SIGNED_KEY]
    raw = session.get(field)
    signed = signed_by_token.get(raw) if isinstance(raw, str) else None
    if signed is None:
        signed = generate_csrf()
        if len(signed_by_token) >= _SIGNED_KEPT:
            signed_by_token.clear()
        signed_by_token[session[field]] = signed
    else:
        setattr(g, field, signed)  # what generate_csrf returns for the rest of the request
    return signed


class _KeptTokenCSRF(FlaskForm.Meta.csrf_class):
    """Flask-WTF's form CSRF, its token from ``page_token`` (the same secret and field name:
    both are read from the app's configuration), checked as before."""

    def generate_csrf_token(self, csrf_token_field) -> str:
        return page_token()


class PageForm(FlaskForm):
    """The portal's forms: a form's hidden token is the one the rest of its page carries."""

    class Meta(FlaskForm.Meta):
        csrf_class = _KeptTokenCSRF
