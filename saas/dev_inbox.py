"""The development inbox: what a phone or mailbox would have received from the embedded
gateway, so a person trying the demo can read their confirmation code. It needs no sign-in,
so the application registers it only with ``PORTAL_ENV=development`` on the local gateway;
in test and production the route does not exist."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Blueprint, render_template

LIMIT = 50


def blueprint_for(delivered: Callable[..., Sequence[object]]) -> Blueprint:
    """``delivered(limit=...)``: the gateway's newest messages, unsealed, newest first."""
    blueprint = Blueprint("dev_inbox", __name__)

    @blueprint.get("/dev/inbox")
    def inbox():
        return render_template("dev/inbox.html", messages=delivered(limit=LIMIT))

    return blueprint
