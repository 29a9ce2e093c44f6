"""Rate-limit port over the ``limits`` library: moving windows kept in memory (embedded
default, one process) or in Redis (``redis://...``, shared by every worker and host)."""
from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class RateLimiter:
    def __init__(self, storage_uri: str = "memory://") -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def allowed(self, limit: str, *key: str) -> bool:
        """Would one more hit stay within ``limit`` (e.g. ``"5 per 15 minutes"``)?"""
        return self._limiter.test(parse(limit), *key)

    def hit(self, limit: str, *key: str) -> bool:
        """Count one hit; False when it goes over the limit."""
        return self._limiter.hit(parse(limit), *key)

    def retry_after(self, limit: str, *key: str) -> int:
        """Whole seconds until one more hit would be allowed (at least 1)."""
        reset_at, _remaining = self._limiter.get_window_stats(parse(limit), *key)
        return max(1, math.ceil(reset_at - time.time()))

    def reset(self, limit: str, *key: str) -> None:
        self._limiter.clear(parse(limit), *key)
