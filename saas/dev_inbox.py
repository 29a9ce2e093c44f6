"""The development inbox: what a phone or mailbox would have received from the embedded
gateway, so a person trying the demo can read their confirmation code. It needs no sign-in,
so the application registers it only with ``PORTAL_ENV=development`` on the local gateway;
in test and production the route does not exist. Even then it answers only this machine: a
development portal someone bound to 0.0.0.0 must not hand its codes to the network."""
from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

from flask import Blueprint, abort, render_template, request

LIMIT = 50


def blueprint_for(delivered: Callable[..., Sequence[object]]) -> Blueprint:
    """``delivered(limit=...)``: the gateway's newest messages, unsealed, newest first."""
    blueprint = Blueprint("dev_inbox", __name__)

    @blueprint.get("/dev/inbox")
    def inbox():
        if not _from_this_machine(request.remote_addr):
            abort(404)
        return render_template("dev/inbox.html", messages=delivered(limit=LIMIT))

    return blueprint


def _from_this_machine(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False
