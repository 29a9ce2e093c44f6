"""The bar at the top of every policyholder page, rendered once per language, sign-in state and
path: it holds the same links, labels and forms for every customer (no name, nothing of theirs),
so it is a pure function of those and of the page's CSRF token, which is put into the kept copy
at every request. A template opts in by setting ``bar_kept`` (web/layout.html); the console's
bar names the staff member and is rendered each time. About a tenth of a millisecond a page."""
from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from saas.i18n import current_locale

_KEPT_MAX = 4096  # distinct (language, state, path) kept; beyond, rendered each time
_TOKEN_SLOT = "\x00csrf-token\x00"  # cannot occur in a rendered page: control characters are refused


class KeptBars:
    def __init__(self) -> None:
        self.kept: dict[tuple, str] = {}

    def bar(self, family: str, render) -> Markup:
        path = request.full_path if request.query_string else request.path
        key = (family, current_locale(), current_user.is_authenticated, request.script_root, path)
        kept = self.kept.get(key)
        if kept is None:
            token = generate_csrf()
            g.csrf_token = _TOKEN_SLOT
            try:
                kept = str(render())
            finally:
                g.csrf_token = token
            if len(self.kept) < _KEPT_MAX:
                self.kept[key] = kept
        return Markup(kept.replace(_TOKEN_SLOT, escape(generate_csrf()))) if _TOKEN_SLOT in kept else Markup(kept)


def init_app(app: Flask) -> None:
    if app.jinja_env.auto_reload:
        return  # templates may change while it runs (development): render the bar each time
    app.jinja_env.globals["kept_bar"] = KeptBars().bar
