"""Servicing statistics for supervisors and clerks: requests by type and channel, the share
done without staff, turnaround with and without a review; a table and a bar chart."""
from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request

from paas.servicing.statistics import CHANNELS, servicing_statistics
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.i18n import gettext
from saas.console.servicing.bar_chart import stacked_bars
from saas.transaction import platform, read_only, uow

DEFAULT_DAYS = 30


def _day(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return default


@blueprint.get("/statistics")
@staff_required
@read_only
def servicing_statistics_page():
    today = platform().clock.today()
    end = _day("to", today)
    start = _day("from", end - timedelta(days=DEFAULT_DAYS - 1))
    stats = servicing_statistics(uow(), principal(), start, end)
    chart = stacked_bars([(gettext(k.label), k.by_channel) for k in stats.kinds], CHANNELS)
    return render_template("console/servicing/statistics.html", stats=stats, chart=chart, channels=CHANNELS)
