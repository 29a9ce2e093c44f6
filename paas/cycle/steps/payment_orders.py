"""Step 9 - online payments abandoned (the payments work's ``expire_stale_orders``).

Rule: a payment order still pending an hour after it was created is closed at the provider
and its dues released, so they can be paid again (and the lapse rules see them unpaid).
Not per policy and not per date: run once a night by partition 1, and only when a payment
provider is configured. Closing is idempotent (an order closed is no longer pending)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paas.platform import Platform

NAME = "payment_orders"


def applies(platform: "Platform") -> bool:
    return platform.payments is not None


def run(platform: "Platform", on: date) -> int:
    """Close every stale order; returns how many were closed."""
    from paas.billing.expiry import expire_stale_orders  # the payments work, which needs its gateway

    closed = 0
    while expired := expire_stale_orders(platform):  # a hundred at a time, each in its own transaction
        closed += expired
    return closed
