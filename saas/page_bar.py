"""The bar at the top of every policyholder page, rendered once per language and sign-in state:
it holds the same links, labels and forms for every customer (no name, nothing of theirs), so it
is a pure function of those and of the page's CSRF token and path (the language switch's way
back), which are put into the kept copy at every request - a handful of copies per worker,
whatever paths clients ask for. A template opts in by setting ``bar_kept`` (web/layout.html); the console's
bar names the staff member and is rendered each time. About a tenth of a millisecond a page."""
from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user
from markupsafe import Markup, escape

from saas.csrf import page_token
from saas.i18n import current_locale

_KEPT_MAX = 64  # distinct (family, language, state, script root) kept; beyond, rendered each time
# Neither can occur in a rendered page: control characters are refused in every request.
_TOKEN_SLOT = "\x00csrf-token\x00"
_PATH_SLOT = "\x00path\x00"


def _here() -> str:
    return request.full_path if request.query_string else request.path


def here() -> str:
    """The page's path and query, for a form that comes back to it: a slot while the kept bar
    is rendered."""
    return _PATH_SLOT if g.get("rendering_kept_bar") else _here()


class KeptBars:
    def __init__(self) -> None:
        self.kept: dict[tuple, str] = {}

    def bar(self, family: str, render) -> Markup:
        key = (family, current_locale(), current_user.is_authenticated, request.script_root)
        kept = self.kept.get(key)
        if kept is None:
            token = page_token()
            g.csrf_token, g.rendering_kept_bar = _TOKEN_SLOT, True
            try:
                kept = str(render())
            finally:
                g.csrf_token, g.rendering_kept_bar = token, False
            if len(self.kept) < _KEPT_MAX:
                self.kept[key] = kept
        if _TOKEN_SLOT in kept:
            kept = kept.replace(_TOKEN_SLOT, escape(page_token()))
        if _PATH_SLOT in kept:
            kept = kept.replace(_PATH_SLOT, escape(_here()))
        return Markup(kept)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["here"] = here
    if app.jinja_env.auto_reload:
        return  # templates may change while it runs (development): render the bar each time
    app.jinja_env.globals["kept_bar"] = KeptBars().bar
