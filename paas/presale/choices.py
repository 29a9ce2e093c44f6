"""The choices a product offers, and the words for them, as message ids with parameters:
the front ends translate them, so one spec reads the same in every language and channel."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from paas.errors import N_, NotFound
from paas.policies.terms import MODE_LABELS
from paas.products import catalogue
from paas.products.catalogue import UNKNOWN_PRODUCT
from paas.products.spec import SAME_AS_TERM, TO_AGE_60, ProductSpec

CATEGORY_LABELS = {
    "term_life": N_("Term life"),
    "whole_life": N_("Whole life"),
    "endowment": N_("Endowment"),
    "unit_linked": N_("Unit-linked"),
    "critical_illness": N_("Critical illness"),
}
YEARS = N_("%(years)s years")
WHOLE_OF_LIFE = N_("Whole of life")
PREMIUM_TERM_LABELS = {SAME_AS_TERM: N_("For the whole term"), TO_AGE_60: N_("Until age 60")}
# Option: (label, what it means for the policyholder).
DIVIDEND_OPTIONS = {
    "cash": (N_("Cash"), N_("Each year's dividend is paid into your bank account.")),
    "accumulate": (N_("Accumulate at interest"),
                   N_("Dividends stay with us and earn interest (currently %(rate)s a year); withdraw them whenever you like.")),
    "offset_premium": (N_("Reduce premiums"), N_("The dividend is put towards your next premium, so you pay less.")),
    "paid_up_additions": (N_("Paid-up additions"),
                          N_("The dividend buys extra paid-up whole-life cover, which earns dividends of its own.")),
}
SURVIVAL_BENEFIT = N_("Every %(years)s policy years: %(share)s of the sum assured (a survival benefit).")
MATURITY_BENEFIT = N_("At the end of the term: %(share)s of the sum assured (the maturity benefit), and the policy ends.")
BENEFITS_LEFT_WITH_US = N_("Benefits you leave with us earn interest, currently %(rate)s a year; withdraw them whenever you like.")
FUND_RISK_LABELS = {"low": N_("Low risk"), "medium": N_("Medium risk"), "high": N_("High risk")}


@dataclass(frozen=True)
class Choice:
    """One option of a form field: the value sent back, and its label as a message id."""

    value: str
    label: str
    params: Mapping[str, object] = field(default_factory=dict)


def find_on_sale(code: str) -> ProductSpec | None:
    wanted = (code or "").strip().upper()
    return next((spec for spec in catalogue.on_sale() if spec.code == wanted), None)


def product_on_sale(code: str) -> ProductSpec:
    """The product with this code, or NotFound: a page about a product that does not exist."""
    spec = find_on_sale(code)
    if spec is None:
        raise NotFound(UNKNOWN_PRODUCT, code=(code or "").strip().upper()[:32])
    return spec


def term_choices(spec: ProductSpec) -> tuple[Choice, ...]:
    if spec.whole_life:
        return (Choice("", WHOLE_OF_LIFE),)
    return tuple(Choice(str(years), YEARS, {"years": years}) for years in spec.terms)


def premium_term_choices(spec: ProductSpec) -> tuple[Choice, ...]:
    return tuple(
        Choice(term, PREMIUM_TERM_LABELS[term]) if isinstance(term, str) else Choice(str(term), YEARS, {"years": term})
        for term in spec.premium_terms
    )


def mode_choices(spec: ProductSpec) -> tuple[Choice, ...]:
    return tuple(Choice(mode, MODE_LABELS[mode]) for mode in spec.modes)


@dataclass(frozen=True)
class DividendOption:
    value: str
    label: str
    explanation: str
    params: Mapping[str, object]


def dividend_options(spec: ProductSpec) -> tuple[DividendOption, ...]:
    """Each dividend option with what it means; none for a product without dividends."""
    if spec.dividends is None:
        return ()
    rate = _percent(spec.dividends.accumulation_interest)
    return tuple(DividendOption(option, *DIVIDEND_OPTIONS[option], {"rate": rate}) for option in spec.dividends.options)


def survival_benefit_terms(spec: ProductSpec) -> tuple[Choice, ...]:
    """What an endowment pays while the insured is alive, in sentences; none for other products."""
    survival = spec.survival_benefits
    if survival is None:
        return ()
    return (
        Choice("survival", SURVIVAL_BENEFIT, {"years": survival.every_years, "share": _percent(survival.share_of_sum_assured)}),
        Choice("maturity", MATURITY_BENEFIT, {"share": _percent(survival.maturity_share)}),
        Choice("interest", BENEFITS_LEFT_WITH_US, {"rate": _percent(survival.accumulation_interest)}),
    )


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"
