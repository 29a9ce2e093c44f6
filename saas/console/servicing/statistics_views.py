"""Servicing statistics for supervisors and clerks: requests by type and channel, the share
done without staff, turnaround with and without a review; a table and a bar chart."""
from __future__ import annotations

from flask import render_template

from paas.servicing.statistics import CHANNELS, servicing_statistics
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.periods import requested_period
from saas.i18n import gettext
from saas.console.servicing.bar_chart import stacked_bars
from saas.transaction import platform, read_only, uow


@blueprint.get("/statistics")
@staff_required
@read_only
def servicing_statistics_page():
    start, end = requested_period(platform().clock.today())
    stats = servicing_statistics(uow(), principal(), start, end)
    chart = stacked_bars([(gettext(k.label), k.by_channel) for k in stats.kinds], CHANNELS)
    return render_template("console/servicing/statistics.html", stats=stats, chart=chart, channels=CHANNELS)
