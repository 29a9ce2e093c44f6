"""Step 1 - fund orders (投资账户交易) executed at the day's unit prices: top-ups, partial
withdrawals and switches of unit-linked policies, each at the first price of its fund on or
after its trade date (``paas.funds.execution``, the funds work). Not per policy: run once a
night by partition 1, first, so the day's valuations see the units traded. Only pending orders
are looked at, so a rerun trades nothing twice."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paas.platform import Platform

NAME = "fund_orders"


def run(platform: "Platform", on: date) -> int:
    """Execute what the prices up to ``on`` allow, in one transaction; returns the orders executed."""
    from paas.funds.execution import execute_fund_orders

    with platform.unit_of_work() as uow:
        executed = execute_fund_orders(uow, on)
        uow.commit()
    return executed
