"""Mortality tables (生命表): numbers of lives l_x at whole ages, from a law or from a file.

A table runs from ``min_age`` to ``max_age`` and is closed there: q at ``max_age`` is 1. Makeham
tables are carried to age 130, where fewer than 10⁻³⁷ of the radix survive, so closing them
there changes no printed figure."""
from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from paas.actuarial.basis import Basis
from paas.actuarial.csv_loading import read_qx_csv
from paas.actuarial.limits import check_age, check_interest
from paas.actuarial.makeham import ILLUSTRATIVE, STANDARD_ULTIMATE

# China's CL (2010-2013) non-pension table 1: LifeTable.from_csv(CL_2010_2013, sex="male").
CL_2010_2013 = Path(__file__).with_name("tables") / "cl_2010_2013_non_pension_1.csv"
MAKEHAM_LAST_AGE = 130
# The ILT prints l_20 = 9,617,802, rounded. Its printed l_20..l_110 (91 integers) pin the
# unrounded value to 9,617,802.058–9,617,802.114; anchoring at the rounded figure would turn
# four printed l_x (ages 28, 36, 39, 67) out by one.
ILT_L20 = 9_617_802.086
SSSM_SELECT_YEARS = 2
SSSM_FACTOR = 0.9


class LifeTable:
    def __init__(self, name: str, min_age: int, lives: list[float] | tuple[float, ...],
                 rates: list[float] | None = None) -> None:
        if not lives or any(value <= 0 for value in lives):
            raise ValueError("a life table needs at least one age and a positive l_x at every age")
        self.name = name
        self.min_age = min_age
        self.max_age = min_age + len(lives) - 1
        self.lives = tuple(float(value) for value in lives)
        # q_x as given when the table came as rates (so a CSV's 0.000867 reads back exactly),
        # else from the lives; 1 at the last age either way.
        derived = [1.0 - after / before for before, after in zip(self.lives, self.lives[1:])]
        self._rates = (*(rates[:-1] if rates is not None else derived), 1.0)
        self._bases: dict[float, Basis] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<LifeTable {self.name} ages {self.min_age}-{self.max_age}>"

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_qx(cls, name: str, min_age: int, rates: list[float], radix: float = 100_000.0) -> LifeTable:
        """From q_x at min_age, min_age + 1, …; the last rate is taken as 1."""
        lives = [radix]
        for rate in rates[:-1]:
            lives.append(lives[-1] * (1.0 - rate))
        return cls(name, min_age, lives, rates)

    @classmethod
    def from_csv(cls, path: str | Path, *, sex: str | None = None, name: str | None = None) -> LifeTable:
        """A table of q_x by age (and optionally by sex); see :mod:`paas.actuarial.csv_loading`.
        A malformed file raises :class:`~paas.errors.InvalidInput` naming the line or age."""
        min_age, rates = read_qx_csv(path, sex)
        label = name or Path(path).stem + (f" ({sex})" if sex else "")
        return cls.from_qx(label, min_age, rates)

    @staticmethod
    def susm() -> LifeTable:
        """AMLCR's Standard Ultimate Survival Model (the SOA's Standard Ultimate Life Table):
        Makeham A = 0.00022, B = 2.7×10⁻⁶, c = 1.124, l_20 = 100,000, ages 20 to 130."""
        return _standard_ultimate()

    @staticmethod
    def sssm(selection_age: int) -> LifeTable:
        """A life selected at ``selection_age`` under AMLCR's Standard Select Survival Model:
        μ_[x]+s = 0.9^(2−s)·μ_x+s for two years, then the ultimate model. The table starts at
        the selection age, so ``at(i).annuity_due(x)`` is ä_[x]."""
        ultimate = _standard_ultimate()
        last = ultimate.max_age - SSSM_SELECT_YEARS
        return _standard_select(check_age(selection_age, ultimate.min_age, last))

    @staticmethod
    def ilt() -> LifeTable:
        """The SOA Illustrative Life Table (Bowers et al.): Makeham A = 0.0007, B = 0.00005,
        c = 10^0.04 from age 13 on, which is where this table starts (below 13 the published
        table uses other data, not reproduced here)."""
        return _illustrative()

    # -- look-ups -----------------------------------------------------------------------------
    def l(self, x: int) -> float:  # noqa: E743 - l_x is the actuary's name for it
        return self.lives[check_age(x, self.min_age, self.max_age) - self.min_age]

    def q(self, x: int) -> float:
        return self._rates[check_age(x, self.min_age, self.max_age) - self.min_age]

    def at(self, interest: float) -> Basis:
        """The basis at an annual effective rate (0.05 for 5%), built once and then shared."""
        rate = check_interest(interest)
        basis = self._bases.get(rate)
        if basis is None:
            with self._lock:
                basis = self._bases.setdefault(rate, Basis(self, rate))
        return basis


@cache
def _standard_ultimate() -> LifeTable:
    lives = STANDARD_ULTIMATE.lives(20, 100_000.0, 20, MAKEHAM_LAST_AGE)
    return LifeTable("SUSM (AMLCR Standard Ultimate Survival Model)", 20, lives)


@cache
def _standard_select(selection_age: int) -> LifeTable:
    ultimate = _standard_ultimate()
    lives = list(ultimate.lives[selection_age + SSSM_SELECT_YEARS - ultimate.min_age:])
    # Work back from l_x+2 through the select years: l_[x]+s = l_[x]+s+1 / p_[x]+s.
    for duration in range(SSSM_SELECT_YEARS - 1, -1, -1):
        p = STANDARD_ULTIMATE.select_survival(selection_age, duration, SSSM_SELECT_YEARS, SSSM_FACTOR)
        lives.insert(0, lives[0] / p)
    return LifeTable(f"SSSM selected at {selection_age}", selection_age, lives)


@cache
def _illustrative() -> LifeTable:
    lives = ILLUSTRATIVE.lives(20, ILT_L20, 13, MAKEHAM_LAST_AGE)
    return LifeTable("ILT (SOA Illustrative Life Table)", 13, lives)
