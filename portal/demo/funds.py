"""Demo unit prices: a deterministic random walk per fund, one price per weekday, so the
unit-linked demo policy has a history to value. Real prices arrive from the fund manager."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from paas.funds.models import FundPrice
from paas.unit_of_work import UnitOfWork

# Yearly drift and volatility by fund: bonds steady, growth equity swinging.
_BEHAVIOUR = {"BOND": (0.03, 0.02), "BAL": (0.05, 0.08), "GROW": (0.07, 0.18)}


def ensure_fund_prices(uow: UnitOfWork, fund_codes: list[str], since: date, until: date) -> None:
    for code in fund_codes:
        first = uow.session.scalar(select(func.min(FundPrice.price_date)).where(FundPrice.fund_code == code))
        if first is not None and first <= since:
            continue
        drift, volatility = _BEHAVIOUR.get(code, (0.04, 0.1))
        draw = random.Random(f"fund-{code}")
        price, day = 1.0, since - timedelta(days=since.weekday() + 7)  # start on a Monday before
        rows = []
        while day <= until:
            if day.weekday() < 5:
                rows.append(FundPrice(fund_code=code, price_date=day, price=Decimal(f"{price:.4f}")))
                price *= 1 + drift / 250 + draw.gauss(0, volatility / 250**0.5)
            day += timedelta(days=1)
        existing = set(uow.session.scalars(select(FundPrice.price_date).where(FundPrice.fund_code == code)))
        uow.session.add_all(r for r in rows if r.price_date not in existing)
        uow.session.flush()
