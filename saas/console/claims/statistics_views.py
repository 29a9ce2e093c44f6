"""Claims statistics for adjusters and supervisors: claims by kind and outcome, the approval
rate, turnaround from report to decision, and the amounts paid."""
from __future__ import annotations

from flask import render_template

from paas.claims.statistics import claim_statistics
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.periods import requested_period
from saas.transaction import platform, read_only, uow


@blueprint.get("/claims/statistics")
@staff_required
@read_only
def claim_statistics_page():
    start, end = requested_period(platform().clock.today())
    return render_template("console/claims/statistics.html", stats=claim_statistics(uow(), principal(), start, end))
