"""The app's remembered ensure_sync (portal.app.PortalApp) answers as Flask's: a plain function
is itself, every time; a coroutine function is still refused or wrapped by Flask as before."""
from __future__ import annotations

from flask import Flask

from portal.app import PortalApp


def test_a_plain_function_is_itself_every_time(app):
    assert isinstance(app, PortalApp)

    def hook():
        return "ran"

    assert app.ensure_sync(hook) is hook and app.ensure_sync(hook) is hook


def test_a_coroutine_function_goes_through_flask_as_before(app):
    async def view():
        return "async"

    def answer_of(flask_app):
        try:
            return flask_app.ensure_sync(view)()
        except RuntimeError as refused:  # Flask without its async extra
            return f"refused: {refused}"

    assert answer_of(app) == answer_of(Flask("plain")) == answer_of(app)
