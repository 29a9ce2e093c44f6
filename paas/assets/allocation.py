"""How assets split across categories, in amounts and percentages. Pure arithmetic.

Percentages are rounded to 0.1 by the largest-remainder method, so the rounded figures
always add up to exactly 100.0 (plain rounding can show 99.9 or 100.1)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from paas.assets.entry import KIND_LABELS
from paas.errors import N_

INSURANCE = "insurance"
# The order of the chart and its legend: the insurer's own values first.
CATEGORY_LABELS = {INSURANCE: N_("Insurance policy values"), **KIND_LABELS}
CATEGORIES = tuple(CATEGORY_LABELS)
_TENTHS_IN_WHOLE = 1000  # 100.0% counted in tenths of a percent
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AllocationSlice:
    category: str
    amount: Decimal
    percent: Decimal  # of total assets, to 0.1

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category]


def allocate(amounts: Mapping[str, Decimal]) -> tuple[AllocationSlice, ...]:
    """One slice per category, in ``CATEGORIES`` order (missing ones are zero)."""
    unknown = set(amounts) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories: {sorted(unknown)}")
    values = [amounts.get(c, ZERO) for c in CATEGORIES]
    if any(v < 0 for v in values):
        raise ValueError("asset amounts cannot be negative")
    tenths = _tenths_of_total(values)
    return tuple(
        AllocationSlice(c, v, (Decimal(t) / 10).quantize(Decimal("0.1"))) for c, v, t in zip(CATEGORIES, values, tenths)
    )


def _tenths_of_total(values: list[Decimal]) -> list[int]:
    total = sum(values, ZERO)
    if total == 0:
        return [0] * len(values)
    exact = [v * _TENTHS_IN_WHOLE / total for v in values]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    short = _TENTHS_IN_WHOLE - sum(floors)
    # Hand the missing tenths to the largest remainders; ties go to the earlier category.
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:short]:
        floors[i] += 1
    return floors
