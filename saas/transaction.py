"""The request owns the transaction: one unit of work per request, opened on first use,
committed when the response is a success and rolled back otherwise. A view that must keep
something despite failing (an audited failed sign-in) commits it explicitly. Views marked
``@read_only`` get a unit of work without a transaction (see ``paas.unit_of_work``)."""
from __future__ import annotations

from flask import Flask, current_app, g, request

from paas.platform import Platform
from paas.unit_of_work import UnitOfWork

EXTENSION = "portal.platform"


def platform() -> Platform:
    return current_app.extensions[EXTENSION]


def read_only(view):
    """Mark a view that only reads: it needs no transaction."""
    view.read_only = True
    return view


def uow() -> UnitOfWork:
    unit = g.get("_uow")
    if unit is None:
        view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
        unit = platform().unit_of_work(read_only=getattr(view, "read_only", False))
        unit = g._uow = unit.__enter__()
    return unit


def init_app(app: Flask, platform_: Platform) -> None:
    app.extensions[EXTENSION] = platform_

    @app.after_request
    def _commit_successful(response):
        unit = g.get("_uow")
        if unit is not None and response.status_code < 400:
            unit.commit()
        return response

    @app.teardown_request
    def _close(_exc):
        unit = g.pop("_uow", None)
        if unit is not None:
            unit.__exit__(None, None, None)
