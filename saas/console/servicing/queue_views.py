"""The review queues: what waits for a colleague, oldest first, one tab per queue the
signed-in staff member's role decides."""
from __future__ import annotations

from flask import render_template, request

from paas.servicing.desk import queue_requests, visible_queues
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.transaction import read_only, uow


@blueprint.get("/queues")
@staff_required
@read_only
def queues():
    who = principal()
    tabs = visible_queues(who)
    chosen = request.args.get("queue", "")
    queue = chosen if chosen in tabs else (tabs[0] if tabs else None)
    lines = queue_requests(uow(), who, queue) if queue else []
    return render_template("console/servicing/queues.html", tabs=tabs, queue=queue, lines=lines)
