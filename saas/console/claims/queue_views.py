"""The adjusters' worklist: open claims, oldest first."""
from __future__ import annotations

from flask import render_template

from paas.claims.authority import limit_of
from paas.claims.views import queue
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.transaction import read_only, uow


@blueprint.get("/claims")
@staff_required
@read_only
def claims_queue():
    who = principal()
    return render_template("console/claims/queue.html", lines=queue(uow(), who), claim_limit=limit_of(who))
