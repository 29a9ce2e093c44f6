"""The request owns the transaction: one unit of work per request, opened on first use,
committed when the response is a success and rolled back otherwise. A view that must keep
something despite failing (an audited failed sign-in) commits it explicitly."""
from __future__ import annotations

from flask import Flask, current_app, g

from paas.platform import Platform
from paas.unit_of_work import UnitOfWork

EXTENSION = "portal.platform"


def platform() -> Platform:
    return current_app.extensions[EXTENSION]


def uow() -> UnitOfWork:
    unit = g.get("_uow")
    if unit is None:
        unit = g._uow = platform().unit_of_work().__enter__()
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
