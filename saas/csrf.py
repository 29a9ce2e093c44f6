"""CSRF protection (Flask-WTF) that looks at the request's method first: a GET, HEAD or
OPTIONS changes nothing, so it is let through before the exemptions are looked up (a
blueprint and a view name built at every request). Every method in WTF_CSRF_METHODS is
checked exactly as Flask-WTF checks it, exemptions included."""
from __future__ import annotations

from flask import current_app, request
from flask_wtf.csrf import CSRFProtect


class MethodFirstCSRFProtect(CSRFProtect):
    def protect(self, apply_exemptions: bool = False) -> None:
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return  # Flask-WTF returns here too, after the exemptions' look-up
        super().protect(apply_exemptions=apply_exemptions)
