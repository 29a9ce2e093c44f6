"""Rate-limit port: one counter per key and window, shared by every worker and host.

Stores: a table in the database (embedded default, ``database.py``) or the ``limits``
library's storage (``redis://...``; ``memory://`` for one process, in tests and benchmarks).
The window is fixed and starts at the first counted attempt, so "5 per 15 minutes" means
five attempts, then a wait of at most 15 minutes.

An attempt is *reserved* before it is checked: the store adds one atomically and answers
with the new count, so parallel requests cannot all pass a check made before counting."""
from __future__ import annotations

import hashlib
import math
import time
from functools import lru_cache
from collections.abc import Mapping
from typing import Protocol

from limits import parse

from iaas.ratelimit.database import DatabaseCounters, add_many_on, add_on, clear_on, give_back_on
from iaas.ratelimit.limits_storage import LimitsCounters

__all__ = ["CounterStore", "DatabaseCounters", "LimitsCounters", "RateLimiter", "reserve_on", "reset_on"]


class CounterStore(Protocol):
    def add(self, key: str, window_seconds: int) -> tuple[int, float]:
        """Count one attempt atomically: (count in the current window, when it ends, epoch seconds).
        An expired window starts again at one."""

    def give_back(self, key: str) -> None:
        """Take one attempt off the current window (never below zero, never an expired one)."""

    def peek(self, key: str) -> tuple[int, float]:
        """(count, end) of the current window without counting; (0, 0.0) when there is none."""

    def clear(self, key: str) -> None: ...


class RateLimiter:
    def __init__(self, store: CounterStore | str = "memory://") -> None:
        self._store = LimitsCounters(store) if isinstance(store, str) else store

    def reserve(self, limit: str, *key: str) -> int | None:
        """Count one attempt against ``limit`` (e.g. ``"5 per 15 minutes"``) and return how
        many remain after it, or None when it is over the limit (then it is not counted)."""
        item, name = _parsed(limit, key)
        count, _ends = self._store.add(name, item.get_expiry())
        if count > item.amount:
            self._store.give_back(name)  # a refused attempt is not checked, so it does not count
            return None
        return item.amount - count

    def refund(self, limit: str, *key: str) -> None:
        """Give back a reserved attempt that turned out not to count (e.g. it succeeded)."""
        self._store.give_back(_parsed(limit, key)[1])

    def hit(self, limit: str, *key: str) -> bool:
        """Count one hit; False when it goes over the limit."""
        return self.reserve(limit, *key) is not None

    def allowed(self, limit: str, *key: str) -> bool:
        """Would one more hit stay within ``limit``? (A peek: use ``reserve`` to decide.)"""
        item, name = _parsed(limit, key)
        count, ends = self._store.peek(name)
        return ends <= time.time() or count < item.amount

    def retry_after(self, limit: str, *key: str) -> int:
        """Whole seconds until one more hit would be allowed (at least 1)."""
        _count, ends = self._store.peek(_parsed(limit, key)[1])
        return max(1, math.ceil(ends - time.time()))

    def reset(self, limit: str, *key: str) -> None:
        self._store.clear(_parsed(limit, key)[1])


def reserve_on(connection, limit: str, *key: str) -> int | None:
    """``RateLimiter.reserve`` with the counter in the portal's own database, counted in the
    caller's transaction (one commit fewer; a concurrent attempt on the same key waits for
    this transaction's end, so the limit still holds). The count is undone if it rolls back."""
    item, name = _parsed(limit, key)
    count, _ends = add_on(connection, name, item.get_expiry())
    if count > item.amount:
        give_back_on(connection, name)
        return None
    return item.amount - count


def reserve_many_on(connection, limit: str, prefix: str, wanted: Mapping[str, int]) -> dict[str, int]:
    """``reserve_on`` for a batch: ``wanted[key]`` hits under ``(prefix, key)`` each, counted in
    one statement; key -> how many of its hits are within ``limit`` (the first ones; the rest
    are not counted)."""
    names = counter_names(limit, prefix, wanted)
    counted = add_many_on(connection, {names[key]: n for key, n in wanted.items()}, window_seconds(limit))
    allowed = settle_many_on(connection, limit, {names[key]: n for key, n in wanted.items()},
                             {name: count for name, (count, _ends) in counted.items()})
    return {key: allowed[names[key]] for key in wanted}


def counter_names(limit: str, prefix: str, keys) -> dict[str, str]:
    """key -> the name of its counter under ``(prefix, key)`` for ``limit``: what a caller's own
    statement counts by (``database.counting_upsert``)."""
    return {key: _parsed(limit, (prefix, key))[1] for key in keys}


def window_seconds(limit: str) -> int:
    return _item(limit).get_expiry()


def settle_many_on(connection, limit: str, hits: Mapping[str, int], counts: Mapping[str, int]) -> dict[str, int]:
    """After ``hits[name]`` were added to each counter at once and ``counts[name]`` is its count
    now: counter name -> how many of its hits are within ``limit`` (the first ones); the rest
    are given back, so they do not count."""
    amount = _item(limit).amount
    allowed = {}
    for name, n in hits.items():
        over = min(n, max(0, counts[name] - amount))
        if over:
            give_back_on(connection, name, over)
        allowed[name] = n - over
    return allowed


def reset_on(connection, limit: str, *key: str) -> None:
    clear_on(connection, _parsed(limit, key)[1])


@lru_cache(maxsize=64)
def _item(limit: str):
    return parse(limit)


def _parsed(limit: str, key: tuple[str, ...]):
    item = _item(limit)
    # Keys name accounts and addresses: stored as a hash, the counters hold no personal data.
    # The limit is part of the key, so changing it starts fresh counters.
    raw = "\x1f".join((str(item.amount), str(item.get_expiry()), *key))
    return item, hashlib.sha256(raw.encode("utf-8")).hexdigest()
