"""What the rules look at: plain values taken from an application and the insured's cover."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Facts:
    product: str
    age: int  # of the insured, last birthday, when cover starts
    height_cm: int
    weight_kg: Decimal
    occupation_class: int
    sum_assured: Decimal
    income: Decimal  # yearly, of the insured (or the owner, for a child)
    cover_with_us: Decimal = Decimal(0)  # the insured's policies in force and open applications, not this one
    cover_elsewhere: Decimal = Decimal(0)  # declared by the applicant
    answers: Mapping[str, bool] = field(default_factory=dict)  # health question id -> answered yes

    @property
    def total_cover(self) -> Decimal:
        return self.sum_assured + self.cover_with_us + self.cover_elsewhere

    @property
    def bmi(self) -> Decimal:
        metres = Decimal(self.height_cm) / 100
        return (self.weight_kg / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
