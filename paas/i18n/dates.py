"""The one way a date is written for a reader: 2016年3月16日 in Chinese, 16 Mar 2016 in
English, in pages, messages and SMS alike (an ISO date inside a Chinese sentence reads as code)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A moment is told in the insurer's business time (China Standard Time), as its customers live it.
BUSINESS_TZ = timezone(timedelta(hours=8))


def format_date(value: date, locale: str) -> str:
    if locale == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def format_moment(value: datetime, locale: str) -> str:
    """A point in time: its day written as ``format_date`` does, then the time, in business time."""
    local = value.astimezone(BUSINESS_TZ) if value.tzinfo else value
    return f"{format_date(local.date(), locale)} {local:%H:%M}"


def as_date(value: object) -> date | None:
    """A message parameter that is a date: a ``date`` or the ISO text services pass along."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def dates_written(params: dict, locale: str) -> dict:
    """A message's parameters with every date written for the reader."""
    written = {}
    for key, value in params.items():
        day = as_date(value)
        if isinstance(value, datetime):
            written[key] = format_moment(value, locale)
        else:
            written[key] = format_date(day, locale) if day is not None else value
    return written
