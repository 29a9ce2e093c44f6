"""Which products suit the need, and why. Each recommendation is checked against the
product's own limits, so its "Get a quote" link always opens a quote that can be priced."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from paas.advice.circumstances import Circumstances
from paas.advice.needs import EDUCATION_FUND_PER_CHILD, INDEPENDENCE_AGE, NeedsAnalysis, round_up
from paas.errors import N_, InvalidInput
from paas.products import catalogue
from paas.products.eligibility import resolve_cover
from paas.products.spec import ProductSpec

DEBT_YEARS = 20  # without dependents, term cover runs as long as a typical mortgage
TERM_LIFE = N_("Term life gives the most cover for each yuan of premium, so it suits the bulk of a need that ends: %(amount)s of cover for %(years)s years protects your family while it depends on you.")
WHOLE_LIFE_INSTEAD = N_("Term life is not offered at your age, so whole life cover meets the need instead: it costs more, but it never ends and builds a cash value.")
CRITICAL_ILLNESS = N_("Critical illness cover pays %(amount)s in one sum when cancer, a heart attack, a stroke or another covered illness is diagnosed: about %(multiple)s years of your income, for treatment and living costs while you recover.")
ENDOWMENT = N_("An endowment saves towards a fixed goal: it pays %(share)s of the sum assured every %(every)s years and the whole sum after %(years)s years, here towards your children's education. It pays out too if you die first.")
WHOLE_LIFE = N_("Whole life cover lasts as long as you live and builds a cash value you can borrow against: a smaller, lasting layer of about a year's income for final expenses and something to leave behind, with dividends on top.")
CAPPED = N_("That is this product's highest sum assured (%(max)s yuan); the rest of the need can be covered by another policy.")


@dataclass(frozen=True)
class Recommendation:
    spec: ProductSpec
    age: int
    sum_assured: Decimal
    term: int | None
    premium_term: str
    reason: str
    params: Mapping[str, object] = field(default_factory=dict)
    capped_at: str | None = None  # the product's maximum (formatted), when the need is larger
    mode: str = "annual"

    def quote_fields(self) -> dict[str, str]:
        """Prefills the quote form (and its link) with this recommendation."""
        fields = {"product": self.spec.code, "age": str(self.age), "sum_assured": f"{self.sum_assured:f}",
                  "premium_term": self.premium_term, "mode": self.mode}
        return fields | ({"term": str(self.term)} if self.term else {})


def recommend(c: Circumstances, analysis: NeedsAnalysis) -> tuple[Recommendation, ...]:
    found = []
    lasting_layer = c.annual_income > 0
    if analysis.life_cover:
        years = analysis.support_years or DEBT_YEARS
        bulk = _fit("TERM", c.age, analysis.life_cover, years, "term", TERM_LIFE)
        if bulk is None:
            bulk = _fit("WLPAR", c.age, analysis.life_cover, None, "20", WHOLE_LIFE_INSTEAD)
            lasting_layer = False
        found.append(bulk)
    if analysis.critical_illness_cover:
        found.append(_fit("CI", c.age, analysis.critical_illness_cover, 30, "20", CRITICAL_ILLNESS,
                          multiple=analysis.critical_illness_multiple))
    if c.children and c.youngest_age is not None:
        found.append(_endowment(c))
    if lasting_layer:
        found.append(_fit("WLPAR", c.age, round_up(c.annual_income), None, "20", WHOLE_LIFE))
    return tuple(r for r in found if r is not None)


def _endowment(c: Circumstances) -> Recommendation | None:
    try:
        survival = catalogue.product("ENDOW").survival_benefits
    except InvalidInput:  # withdrawn from sale
        return None
    wanted_years = max(1, INDEPENDENCE_AGE - (c.youngest_age or 0))
    fund = EDUCATION_FUND_PER_CHILD * c.children
    if survival is None:
        return None
    share = f"{(survival.share_of_sum_assured * 100).normalize():f}%"
    return _fit("ENDOW", c.age, fund, wanted_years, "10", ENDOWMENT, share=share, every=survival.every_years)


def _fit(code: str, age: int, wanted: Decimal, wanted_years: int | None, premium_term: str, reason: str,
         **params: object) -> Recommendation | None:
    """The recommendation within the product's limits, or None if it cannot cover this person.
    Its reason may name the amount and the years of cover (``amount``, ``years``)."""
    try:
        spec = catalogue.product(code)
    except InvalidInput:  # withdrawn from sale
        return None
    low, high = spec.sum_assured
    sum_assured = min(max(wanted, low), high)
    term = None if spec.whole_life else _term_for(spec, age, wanted_years or 1)
    try:
        resolve_cover(spec, age=age, sex="M", sum_assured=sum_assured, term=term, premium_term=_premium_term(premium_term),
                      mode="annual")
    except InvalidInput:
        return None
    capped = f"{high:,.0f}" if wanted > high else None
    params = {"amount": sum_assured, "years": term, **params}
    return Recommendation(spec, age, sum_assured, term, premium_term, reason, params, capped)


def _term_for(spec: ProductSpec, age: int, wanted_years: int) -> int | None:
    """The shortest term that lasts as long as wanted, else the longest the product allows."""
    fits = [t for t in spec.terms if t is not None and (spec.max_age_at_expiry is None or age + t <= spec.max_age_at_expiry)]
    long_enough = [t for t in fits if t >= wanted_years]
    return min(long_enough) if long_enough else max(fits, default=None)


def _premium_term(text: str) -> int | str:
    return int(text) if text.isdigit() else text
