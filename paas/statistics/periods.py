"""A reporting period in business days (China Standard Time) and turnaround figures over it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from paas.errors import N_, InvalidInput
from paas.i18n.dates import BUSINESS_TZ
MAX_DAYS = 366
BAD_PERIOD = N_("Choose a period of one day to one year, the start before the end.")


def check_period(start: date, end: date) -> None:
    if end < start or (end - start).days >= MAX_DAYS:
        raise InvalidInput(BAD_PERIOD, field="start")


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants the period runs between: from the start day's midnight to the midnight
    after the (inclusive) end day, in the insurer's time zone."""
    return datetime.combine(start, time(), BUSINESS_TZ), datetime.combine(end + timedelta(days=1), time(), BUSINESS_TZ)


@dataclass(frozen=True)
class Turnaround:
    count: int
    median: timedelta | None
    p90: timedelta | None


def percentile(values: list[timedelta], share: float) -> timedelta | None:
    """Nearest rank: the smallest value with at least ``share`` of all values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def turnaround(values: list[timedelta]) -> Turnaround:
    return Turnaround(len(values), percentile(values, 0.5), percentile(values, 0.9))
