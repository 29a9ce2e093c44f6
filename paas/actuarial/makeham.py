"""Makeham's law, μ(x) = A + B·cˣ, turned into numbers of lives l_x at whole ages.

Survival has a closed form, ₜp_x = exp(−A·t − B·cˣ·(cᵗ − 1)/ln c), so every l_x is exact to
float precision: no numerical integration and no error that grows along the table."""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Makeham:
    a: float
    b: float
    c: float

    def survival(self, age: float, years: float) -> float:
        """ₜp_x: the probability that a life aged ``age`` is alive ``years`` later."""
        log_c = math.log(self.c)
        return math.exp(-self.a * years - self.b * self.c**age * (self.c**years - 1.0) / log_c)

    def lives(self, anchor_age: int, anchor_lives: float, min_age: int, max_age: int) -> list[float]:
        """l_x for min_age..max_age, scaled so that l at ``anchor_age`` is ``anchor_lives``.
        The anchor may lie inside the range (the ILT is anchored at 20 but starts at 13)."""
        return [
            anchor_lives * self.survival(anchor_age, age - anchor_age)
            for age in range(min_age, max_age + 1)
        ]

    def select_survival(self, selection_age: int, duration: int, select_years: int, factor: float) -> float:
        """p_[x]+s for x the selection age and s the duration, when the force of mortality at
        duration t < select_years is factor^(select_years − t)·μ_x+t (AMLCR's Standard Select
        Survival Model: factor 0.9, two select years). The integral has a closed form too."""
        log_f = math.log(factor)
        log_c = math.log(self.c)
        start, end = duration, duration + 1
        # ∫ f^(k−t) dt = f^k·(f^−start − f^−end)/ln f, and the Gompertz part likewise with c.
        weight = factor**select_years
        constant = self.a * weight * (factor**-start - factor**-end) / log_f
        rate = log_c - log_f
        growth = (math.exp(rate * end) - math.exp(rate * start)) / rate
        gompertz = self.b * self.c**selection_age * weight * growth
        return math.exp(-(constant + gompertz))


# Dickson, Hardy & Waters, "Actuarial Mathematics for Life Contingent Risks",
# Appendix D; also the SOA's Standard Ultimate Life Table (Exam LTAM/FAM-L).
STANDARD_ULTIMATE = Makeham(a=0.00022, b=2.7e-6, c=1.124)
# Bowers et al., "Actuarial Mathematics", Illustrative Life Table: 1000·μ(x) = 0.7 + 0.05·10^(0.04x)
# from age 13 on.
ILLUSTRATIVE = Makeham(a=0.0007, b=0.00005, c=10**0.04)
