"""A product as its catalogue file defines it: who may buy it, how it is priced, what values
it builds. Plain data; the maths lives in ``paas.products.pricing`` and ``.values``."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

TO_AGE_60 = "to_age_60"
SAME_AS_TERM = "term"


@dataclass(frozen=True)
class Fund:
    code: str
    name_zh: str
    name_en: str
    risk: str

    def name(self, locale: str) -> str:
        return self.name_zh if locale == "zh" else self.name_en


@dataclass(frozen=True)
class UnitLinkedTerms:
    max_cover_multiple: int
    min_annual_premium: Decimal
    allocation: tuple[Decimal, ...]  # share of each premium invested, by policy year
    surrender_charges: tuple[Decimal, ...]  # share of the fund value, by policy year
    funds: tuple[Fund, ...]

    def allocation_rate(self, policy_year: int) -> Decimal:
        return _by_year(self.allocation, policy_year, default=self.allocation[-1])

    def surrender_charge_share(self, policy_year: int) -> Decimal:
        return _by_year(self.surrender_charges, policy_year, default=Decimal(0))


@dataclass(frozen=True)
class SurvivalBenefits:
    every_years: int
    share_of_sum_assured: Decimal
    maturity_share: Decimal
    accumulation_interest: Decimal


@dataclass(frozen=True)
class Dividends:
    scale: tuple[Decimal, ...]  # excess interest on the reserve, by policy year; the last repeats
    accumulation_interest: Decimal
    options: tuple[str, ...]

    def rate(self, policy_year: int) -> Decimal:
        return _by_year(self.scale, policy_year, default=self.scale[-1])


@dataclass(frozen=True)
class ProductSpec:
    code: str
    version: int
    category: str
    participating: bool
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    issue_ages: tuple[int, int]
    max_age_at_expiry: int | None
    terms: tuple[int | None, ...]  # None: whole life
    premium_terms: tuple[int | str, ...]  # years, "term" or "to_age_60"
    sum_assured: tuple[Decimal, Decimal]
    modes: tuple[str, ...]
    table: str
    interest: Decimal
    premium_loading: Decimal
    policy_fee: Decimal
    modal_factors: Mapping[str, Decimal]
    surrender_charges: tuple[Decimal, ...]  # share of one annual premium, by policy year
    loan_share: Decimal
    loan_interest: Decimal
    reinstatement_interest: Decimal
    incidence_multiple: Decimal = Decimal(1)
    single_premium_surrender_charges: tuple[Decimal, ...] = ()  # share of the single premium
    dividends: Dividends | None = None
    survival_benefits: SurvivalBenefits | None = None
    unit_linked: UnitLinkedTerms | None = None
    source: str = field(default="", compare=False)

    def name(self, locale: str) -> str:
        return self.name_zh if locale == "zh" else self.name_en

    def description(self, locale: str) -> str:
        return self.description_zh if locale == "zh" else self.description_en

    @property
    def whole_life(self) -> bool:
        return self.terms == (None,)

    def surrender_charge_share(self, policy_year: int, *, single_premium: bool = False) -> Decimal:
        """Share of one annual premium (or of the single premium) deducted on surrender."""
        scale = self.single_premium_surrender_charges if single_premium else self.surrender_charges
        return _by_year(scale, policy_year, default=Decimal(0))


def _by_year(values: tuple[Decimal, ...], policy_year: int, *, default: Decimal) -> Decimal:
    """Policy year 1 is the first; years past the list take ``default``."""
    return values[policy_year - 1] if 1 <= policy_year <= len(values) else default
