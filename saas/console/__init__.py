"""The back-office console: staff sign in with password and TOTP, find customers, see a
masked 360° view, reveal one field with a reason, read the outbox."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("console", __name__, template_folder="templates")

from saas.console import account_views, customer_views, outbox_views  # noqa: E402,F401


@blueprint.record_once
def _labels(state) -> None:
    from paas.security.roles import STAFF_ROLES

    state.app.jinja_env.globals.update(staff_roles=STAFF_ROLES)
