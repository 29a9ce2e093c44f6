"""Quote throughput in one process: the full service (parse, check every limit, price, round,
illustrate) against a baseline measured in the same run - the bare net-premium look-up on
the same basis. Goal: >= 20,000 quotes/s."""
from __future__ import annotations

import argparse
import itertools
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from paas.actuarial import net_annual_premium  # noqa: E402
from paas.products import catalogue  # noqa: E402
from paas.products.pricing import basis_for  # noqa: E402
from paas.products.quotes import QuoteRequest, quote  # noqa: E402

GOAL = 20_000
TODAY = date(2026, 11, 27)
# A spread of what people ask for: every product, ages 18-55, both sexes, several modes.
PRODUCTS = [
    ("TERM", "20", "term", "1000000"), ("TERM", "10", "term", "500000"), ("WLPAR", "", "20", "300000"),
    ("WLPAR", "", "10", "200000"), ("ENDOW", "20", "10", "100000"), ("CI", "20", "20", "500000"),
    ("ULINK", "", "10", "300000"),
]
MODES = ("annual", "monthly", "quarterly", "semi_annual")


def requests(count: int) -> list[QuoteRequest]:
    cycle = itertools.cycle(itertools.product(PRODUCTS, range(18, 56), "MF", MODES))
    return [
        QuoteRequest(product, sex, sum_assured, mode, term, premium_term, str(age))
        for (product, term, premium_term, sum_assured), age, sex, mode in itertools.islice(cycle, count)
    ]


def rate(function, items, seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in items:
            function(item)
        done += len(items)
    return done / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    batch = requests(2000)
    for request in batch[:50]:  # warm the table and basis caches, as a running server has them
        quote(request, TODAY)
    spec = catalogue.product("WLPAR")
    basis = basis_for(spec, "M")
    baseline = rate(lambda age: net_annual_premium(basis, age, Decimal(300000), premium_years=20), range(18, 56), args.seconds)
    full = rate(lambda r: quote(r, TODAY), batch, args.seconds)
    illustrated = rate(lambda r: quote(r, TODAY).illustration, batch[:500], args.seconds)
    print(f"baseline     net premium look-up (WLPAR, one basis):   {baseline:>10,.0f} /s")
    print(f"quote        parse, check limits, price, round (mixed): {full:>10,.0f} quotes/s  ({full / baseline:.0%} of baseline)")
    print(f"illustrated  the same plus 30 years of cash values:     {illustrated:>10,.0f} quotes/s")
    print(f"goal         quotes >= {GOAL:,}/s: {'met' if full >= GOAL else 'MISSED'}")
    return 0 if full >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
