"""Pricing a cover: present values per unit of sum assured on the product's basis, the net
premium by the equivalence principle, the gross premium with loadings and the modal premium.

Actuarial factors are floats (so are the published tables); money is Decimal, rounded once
to the fen by :func:`paas.money.to_fen` when an amount is produced."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property

from paas.actuarial import CL_2010_2013, Basis, LifeTable
from paas.money import to_fen
from paas.policies.terms import PAYMENTS_PER_YEAR
from paas.products.spec import ProductSpec

TABLES = {"CL_2010_2013": CL_2010_2013}


def as_decimal(value: float) -> Decimal:
    """The shortest decimal that round-trips the float: the rounding to the fen then sees
    the computed factor, not the tail of its binary expansion."""
    return Decimal(repr(value))


@cache
def _table(name: str, sex: str, incidence_multiple: Decimal) -> LifeTable:
    base = LifeTable.from_csv(TABLES[name], sex="male" if sex == "M" else "female")
    if incidence_multiple == 1:
        return base
    # Critical illness priced as an accelerated benefit: the chance of a claim at each age
    # is the chance of death scaled by the product's incidence multiple (kept below 1 so that
    # the table still closes at its own last age).
    multiple = float(incidence_multiple)
    rates = [min(0.99, base.q(age) * multiple) for age in range(base.min_age, base.max_age)] + [1.0]
    return LifeTable.from_qx(f"{base.name} x{incidence_multiple}", base.min_age, rates)


def basis_for(spec: ProductSpec, sex: str) -> Basis:
    return _table(spec.table, sex, spec.incidence_multiple).at(float(spec.interest))


@dataclass(frozen=True)
class Cover:
    """One life insured under one product: what pricing and valuation need."""

    spec: ProductSpec
    age: int  # age last birthday when cover starts
    sex: str  # "M" / "F"
    sum_assured: Decimal
    term: int | None  # years of cover; None: whole life
    premium_years: int  # 0: a single premium
    mode: str

    @cached_property
    def factors(self) -> "CoverFactors":
        return CoverFactors(basis_for(self.spec, self.sex), self)


class CoverFactors:
    """Present values per unit of sum assured at each duration t (policy years completed)."""

    def __init__(self, basis: Basis, cover: Cover) -> None:
        self.basis = basis
        self.cover = cover
        self.last_duration = (cover.term if cover.term is not None else basis.table.max_age + 1 - cover.age)

    def benefits(self, t: int) -> float:
        """Expected present value at duration t of the benefits still to come."""
        cover, basis = self.cover, self.basis
        if t >= self.last_duration:
            return 0.0
        x = cover.age + t
        if cover.term is None:
            return basis.insurance(x)
        remaining = cover.term - t
        value = basis.insurance(x, remaining)
        survival = cover.spec.survival_benefits
        if survival is not None:
            for anniversary in range(survival.every_years, cover.term, survival.every_years):
                if anniversary > t:
                    value += float(survival.share_of_sum_assured) * basis.pure_endowment(x, anniversary - t)
            value += float(survival.maturity_share) * basis.pure_endowment(x, remaining)
        return value

    def premiums(self, t: int) -> float:
        """ä for the premiums still to be paid from duration t (at the start of each year)."""
        years = self.cover.premium_years
        if years == 0 or t >= years:
            return 0.0
        return self.basis.annuity_due(self.cover.age + t, years - t)

    @cached_property
    def net_rate(self) -> float:
        """Net premium per unit of sum assured: yearly, or the single premium."""
        if self.cover.premium_years == 0:
            return self.benefits(0)
        return self.benefits(0) / self.premiums(0)

    def reserve(self, t: int) -> float:
        """Net premium reserve per unit of sum assured at the end of policy year t."""
        return self.benefits(t) - self.net_rate * self.premiums(t)

    def single_premium_at(self, t: int) -> float:
        """The cost per unit of fully paid-up cover bought at duration t."""
        return self.benefits(t)


@dataclass(frozen=True)
class Premium:
    net_annual: Decimal  # the pure cost of the benefits, per year (or single)
    gross_annual: Decimal  # with loadings and the policy fee, per year (or single)
    modal: Decimal  # what is charged at each due date
    payments_per_year: int

    @property
    def per_year(self) -> Decimal:
        return self.modal * self.payments_per_year if self.payments_per_year else self.modal


def premium_for(cover: Cover, extra_mortality: Decimal = Decimal(0)) -> Premium:
    """``extra_mortality``: an underwriter's rating (0.50 for +50%), loaded on the net cost of
    the benefits before the expense loadings, as for any other premium."""
    spec = cover.spec
    if spec.unit_linked is not None:
        return _unit_linked_premium(cover, extra_mortality)
    net = as_decimal(cover.factors.net_rate) * cover.sum_assured * (1 + extra_mortality)
    gross = (net + spec.policy_fee) / (1 - spec.premium_loading)
    if cover.premium_years == 0:
        single = to_fen(gross)
        return Premium(to_fen(net), single, single, 0)
    payments = PAYMENTS_PER_YEAR[cover.mode]
    return Premium(to_fen(net), to_fen(gross), to_fen(gross * spec.modal_factors[cover.mode]), payments)


def _unit_linked_premium(cover: Cover, extra_mortality: Decimal = Decimal(0)) -> Premium:
    """Unit-linked premiums buy units; the smallest planned premium is set by the cover
    asked for (at most ``max_cover_multiple`` times the yearly premium) and a floor."""
    terms = cover.spec.unit_linked
    annual = max(terms.min_annual_premium, cover.sum_assured / terms.max_cover_multiple) * (1 + extra_mortality)
    if cover.premium_years == 0:
        single = to_fen(annual)
        return Premium(Decimal("0.00"), single, single, 0)
    payments = PAYMENTS_PER_YEAR[cover.mode]
    modal = to_fen(annual * cover.spec.modal_factors[cover.mode])
    return Premium(Decimal("0.00"), to_fen(annual), modal, payments)
