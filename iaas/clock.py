"""Clock port: the one place that knows what time it is, so tests and batch runs can fix it."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Current instant, timezone-aware UTC."""

    def today(self) -> date:
        """Current business date."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that only moves when told to (tests, demo, replaying a batch date)."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")
        self._now = instant

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.date()

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class BusinessDayClock:
    """The real instant, but a fixed business date: a batch run for a given day (the nightly
    cycle, catching up a missed night) dates what it does that day, while the times it
    records stay true."""

    def __init__(self, base: Clock, business_date: date) -> None:
        self._base = base
        self._date = business_date

    def now(self) -> datetime:
        return self._base.now()

    def today(self) -> date:
        return self._date
