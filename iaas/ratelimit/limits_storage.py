"""Counters in the ``limits`` library's storage: Redis (``redis://...``), shared by every
worker and host, or ``memory://`` (one process: tests, benchmarks). Both increment and set
the expiry of a new key in one step (a Lua script on Redis), which makes ``add`` atomic."""
from __future__ import annotations

from limits.storage import storage_from_string


class LimitsCounters:
    def __init__(self, storage_uri: str) -> None:
        self._storage = storage_from_string(storage_uri)

    def add(self, key: str, window_seconds: int) -> tuple[int, float]:
        count = self._storage.incr(key, window_seconds)
        return count, self._storage.get_expiry(key)

    def give_back(self, key: str) -> None:
        # Read, then decrement: two requests giving back at once may both see 1. The worst
        # case is a counter one lower than it should be until its window ends.
        if self._storage.get(key) > 0:
            self._storage.incr(key, 1, amount=-1)

    def peek(self, key: str) -> tuple[int, float]:
        count = self._storage.get(key)
        return (count, self._storage.get_expiry(key)) if count else (0, 0.0)

    def clear(self, key: str) -> None:
        self._storage.clear(key)
