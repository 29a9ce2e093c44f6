"""The period a statistics page is asked for (``?from=&to=``), the last 30 days by default."""
from __future__ import annotations

from datetime import date, timedelta

from flask import request

DEFAULT_DAYS = 30


def _day(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return default


def requested_period(today: date) -> tuple[date, date]:
    end = _day("to", today)
    return _day("from", end - timedelta(days=DEFAULT_DAYS - 1)), end
