"""The back-office console: staff sign in with password and TOTP, find customers, see a
masked 360° view, reveal one field with a reason, read the outbox, see the payments that
need a person."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("console", __name__, template_folder="templates")

from saas.console import account_views, customer_views, outbox_views, payment_views  # noqa: E402,F401
from saas.console import servicing  # noqa: E402,F401  (queues, requests, acting for customers, statistics)
from saas.console import claims  # noqa: E402,F401  (the adjusters' queue and decisions)
from saas.console import safety_views  # noqa: E402,F401  (bank account removal, freeze, held payouts)
from saas.console import sms_views  # noqa: E402,F401  (the SMS simulator and the opt-out list)
from saas.console import underwriting  # noqa: E402,F401  (new business: the referred queue, decisions)
from saas.console import notice_views  # noqa: E402,F401  (failed deliveries, print batches, notice statistics)


@blueprint.record_once
def _labels(state) -> None:
    from paas.messaging import labels as message_labels
    from paas.security.roles import STAFF_ROLES
    from saas.console.navigation import console_nav
    from saas.servicing import install as install_servicing

    install_servicing(state.app)
    state.app.jinja_env.globals.update(
        staff_roles=STAFF_ROLES, console_nav=console_nav, message_channel_labels=message_labels.CHANNEL_LABELS,
        message_status_labels=message_labels.STATUS_LABELS, message_kind_label=message_labels.kind_label)
