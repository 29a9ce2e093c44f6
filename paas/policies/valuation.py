"""A policy's values on a date, from the facts the database holds about it: which product
and cover, its status, loans, money held for it and fund units (queries 3-6)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from paas.money import to_fen
from paas.policies.schedule import months_between
from paas.policies.terms import GRACE, IN_FORCE, LAPSED, PAID_UP, PAYMENTS_PER_YEAR, SINGLE
from paas.products import catalogue
from paas.products.eligibility import age_last_birthday
from paas.products.pricing import Cover
from paas.products.values import ZERO, cash_value_on, loan_interest, loan_maximum, policy_year_position

VALUED_STATUSES = frozenset({IN_FORCE, GRACE, LAPSED, PAID_UP})


@dataclass(frozen=True)
class PolicyFacts:
    product_code: str
    product_version: int
    status: str
    issue_date: date
    expiry_date: date | None
    premium_end_date: date | None
    paid_to_date: date
    sum_assured: Decimal
    modal_premium: Decimal
    premium_mode: str
    insured_birth_date: date
    insured_gender: str
    paid_up_sum_assured: Decimal | None
    paid_up_additions: Decimal
    loan_balance: Decimal | None
    loan_rate: Decimal | None
    loan_interest_to: date | None
    dividends_held: Decimal
    survival_benefits_held: Decimal
    fund_value: Decimal | None


@dataclass(frozen=True)
class PolicyValuation:
    on: date
    policy_year: int
    cash_value: Decimal  # surrender value before debt
    debt: Decimal  # loan balance with interest to date
    loan_maximum: Decimal
    paid_up_sum_assured: Decimal
    dividends_held: Decimal
    survival_benefits_held: Decimal
    fund_value: Decimal | None

    @property
    def net_cash_value(self) -> Decimal:
        return max(ZERO, self.cash_value - self.debt)


def cover_of(facts: PolicyFacts) -> Cover:
    spec = catalogue.product(facts.product_code, facts.product_version)
    term = months_between(facts.issue_date, facts.expiry_date) // 12 if facts.expiry_date else None
    if facts.premium_mode == SINGLE:
        premium_years = 0
    elif facts.premium_end_date is not None:
        premium_years = months_between(facts.issue_date, facts.premium_end_date) // 12
    else:
        premium_years = term or 0
    age = age_last_birthday(facts.insured_birth_date, facts.issue_date)
    return Cover(spec, age, facts.insured_gender, facts.sum_assured, term, premium_years, facts.premium_mode)


def annual_premium(facts: PolicyFacts) -> Decimal:
    payments = PAYMENTS_PER_YEAR[facts.premium_mode]
    return facts.modal_premium * payments if payments else facts.modal_premium


@lru_cache(maxsize=65536)
def value_policy(facts: PolicyFacts, on: date) -> PolicyValuation:
    """Values depend on nothing but the facts, the date and the (fixed) catalogue, so a
    policy shown again the same day with nothing changed is a dictionary look-up."""
    cover = cover_of(facts)
    debt = ZERO
    if facts.loan_balance:
        debt = facts.loan_balance + loan_interest(facts.loan_balance, facts.loan_rate, facts.loan_interest_to, on)
    cash, paid_up, year = _cash_value(facts, cover, on)
    return PolicyValuation(
        on=on,
        policy_year=year,
        cash_value=cash,
        debt=debt,
        loan_maximum=loan_maximum(cover, cash, debt) if facts.status in (IN_FORCE, GRACE, PAID_UP) else ZERO,
        paid_up_sum_assured=paid_up,
        dividends_held=facts.dividends_held,
        survival_benefits_held=facts.survival_benefits_held,
        fund_value=to_fen(facts.fund_value) if facts.fund_value is not None else None,
    )


def _cash_value(facts: PolicyFacts, cover: Cover, on: date) -> tuple[Decimal, Decimal, int]:
    if facts.status not in VALUED_STATUSES:
        return ZERO, ZERO, policy_year_position(facts.issue_date, on)[0] + 1
    unit_linked = cover.spec.unit_linked
    if unit_linked is not None:
        year = policy_year_position(facts.issue_date, on)[0] + 1
        fund = facts.fund_value or Decimal(0)
        return to_fen(fund * (1 - unit_linked.surrender_charge_share(year))), ZERO, year
    paid_up = facts.paid_up_sum_assured if facts.status == PAID_UP else None
    # A lapsed policy (or a paid-up one whose reduced cover is not recorded) stopped building
    # value when its premiums stopped.
    frozen = facts.status == LAPSED or (facts.status == PAID_UP and paid_up is None)
    when = min(on, facts.paid_to_date) if frozen else on
    value = cash_value_on(
        cover, annual_premium(facts), facts.issue_date, when,
        paid_up_sum_assured=paid_up, paid_up_additions=facts.paid_up_additions,
    )
    return value.cash_value, value.paid_up_sum_assured, value.policy_year
