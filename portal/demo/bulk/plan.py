"""What the row generators work from, and how the work is cut into batches.

The plan is set once in the main process before the worker processes are forked: they
inherit it (the people alone are tens of megabytes) instead of receiving it pickled."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.demo.bulk.people import People

# Rows are generated in batches, each from its own random stream: the same batches on every
# database and with any number of workers, hence the same data.
CUSTOMER_BATCH = 20_000
POLICY_BATCH = 25_000


@dataclass
class Plan:
    """Everything a worker needs; inherited by forked workers, never pickled."""

    seed: str  # names the random streams
    today: date
    now_text: str
    people: People
    keyring: object
    customer_base_id: int  # customer i gets id customer_base_id + 1 + i
    first_customer_seq: int
    policy_base_id: int
    first_policy_seq: int
    product_ids: dict[str, int]
    reserved_mobiles: frozenset[str]
    mobile_a: int
    mobile_b: int


_PLAN: Plan | None = None


def share_plan(plan: Plan | None = None) -> None:
    """Set the plan for this process and the workers it forks from now on. Also the pool's
    initializer, called without a plan: a forked worker keeps the one it inherited."""
    global _PLAN
    if plan is not None:
        _PLAN = plan


def current_plan() -> Plan:
    assert _PLAN is not None, "share_plan() first"
    return _PLAN


def batches(total: int, size: int) -> list[tuple[int, int]]:
    """(start, stop) of each batch of ``size`` rows out of ``total``."""
    return [(start, min(start + size, total)) for start in range(0, total, size)]
