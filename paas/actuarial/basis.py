"""A pricing basis: a mortality table at one rate of interest, with its commutation columns
worked out once so that every present value is a look-up and a division.

Benefits are annual: annuities are paid at the start of each year a life is alive (annuity-due,
ä), insurances at the end of the year of death. Notation follows Bowers et al. and AMLCR:

    D_x = vˣ·l_x      N_x = Σ_{y≥x} D_y      C_x = vˣ⁺¹·d_x      M_x = Σ_{y≥x} C_y

The second moment ²A_x is A_x at the doubled force of interest, i.e. at (1 + i)² − 1."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from paas.actuarial.limits import check_age, check_term

if TYPE_CHECKING:
    from paas.actuarial.life_tables import LifeTable


class Columns(NamedTuple):
    """D, N and M indexed by age − min_age, each with a trailing 0 for the age after the last,
    so that a term running to the end of the table needs no special case."""

    d: tuple[float, ...]
    n: tuple[float, ...]
    m: tuple[float, ...]


def commutation_columns(lives: tuple[float, ...], interest: float) -> Columns:
    v = 1.0 / (1.0 + interest)
    count = len(lives)
    ell = (*lives, 0.0)
    # Discount from the table's first age, not from age 0: the ratios are the same and
    # v^130 at a high rate stays far from underflow.
    d = [v**k * ell[k] for k in range(count)] + [0.0]
    c = [v ** (k + 1) * (ell[k] - ell[k + 1]) for k in range(count)]
    n = [0.0] * (count + 1)
    m = [0.0] * (count + 1)
    for k in range(count - 1, -1, -1):
        n[k] = n[k + 1] + d[k]
        m[k] = m[k + 1] + c[k]
    return Columns(tuple(d), tuple(n), tuple(m))


class Basis:
    """Made by :meth:`LifeTable.at`, which keeps one per rate of interest."""

    def __init__(self, table: LifeTable, interest: float) -> None:
        self.table = table
        self.interest = interest
        self._min = table.min_age
        self._max = table.max_age
        self._first = commutation_columns(table.lives, interest)
        self._second = commutation_columns(table.lives, (1.0 + interest) ** 2 - 1.0)

    def __repr__(self) -> str:
        return f"<Basis {self.table.name} at {self.interest:.4%}>"

    def l(self, x: int) -> float:  # noqa: E743 - l_x is the actuary's name for it
        return self.table.l(x)

    def q(self, x: int) -> float:
        return self.table.q(x)

    def annuity_due(self, x: int, n: int | None = None) -> float:
        """ä_x, or ä_x:n̄| for n years: 1 a year at the start of each year (x) is alive."""
        k, end = self._span(x, n)
        d, total, _ = self._first
        return (total[k] - total[end]) / d[k]

    def insurance(self, x: int, n: int | None = None) -> float:
        """A_x, or the term insurance A¹_x:n̄|: 1 at the end of the year of death."""
        k, end = self._span(x, n)
        d, _, m = self._first
        return (m[k] - m[end]) / d[k]

    def pure_endowment(self, x: int, n: int) -> float:
        """ₙE_x: 1 in n years if (x) is then alive."""
        k, end = self._span(x, n, term_required=True)
        d = self._first.d
        return d[end] / d[k]

    def endowment(self, x: int, n: int) -> float:
        """A_x:n̄|: 1 at the end of the year of death within n years, or at n years on survival."""
        k, end = self._span(x, n, term_required=True)
        d, _, m = self._first
        return (m[k] - m[end] + d[end]) / d[k]

    def insurance_2nd_moment(self, x: int, n: int | None = None) -> float:
        """²A_x (or ²A¹_x:n̄|): E[Z²] for Z the present value of the insurance, so that
        Var Z = ²A_x − (A_x)²."""
        k, end = self._span(x, n)
        d, _, m = self._second
        return (m[k] - m[end]) / d[k]

    def _span(self, x: int, n: int | None, term_required: bool = False) -> tuple[int, int]:
        """Row indices of age x and of age x + n (or past the table's end for whole life)."""
        if type(x) is not int or not self._min <= x <= self._max:
            x = check_age(x, self._min, self._max)
        if n is None:
            if term_required:
                check_term(x, n, self._max)
            return x - self._min, self._max + 1 - self._min
        if type(n) is not int or n <= 0 or x + n > self._max + 1:
            n = check_term(x, n, self._max)
        return x - self._min, x + n - self._min
