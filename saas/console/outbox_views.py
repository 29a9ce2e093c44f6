"""What the platform has sent (or will send) by mail and SMS: the embedded outbox."""
from __future__ import annotations

from flask import render_template

from paas.messaging.queries import recent_messages
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.transaction import uow


@blueprint.route("/outbox")
@staff_required
def outbox():
    return render_template("console/outbox.html", messages=recent_messages(uow(), principal()))
