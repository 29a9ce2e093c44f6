"""What a policy is worth on a date (queries 3-6): reserve, cash value after the surrender
charge, reduced paid-up cover, loan limit, dividends and survival benefits, reinstatement.

Year-end values come from the pricing factors; between anniversaries a value moves in a
straight line from one year-end to the next. Every amount is rounded once, to the fen."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from paas.money import to_fen
from paas.policies.schedule import add_months, due_dates
from paas.products.pricing import Cover, as_decimal

ZERO = Decimal("0.00")
DAYS_IN_YEAR = Decimal(365)


def policy_year_position(issue_date: date, on: date) -> tuple[int, Decimal]:
    """Completed policy years on a date, and the fraction of the current year elapsed."""
    years = on.year - issue_date.year
    if add_months(issue_date, 12 * years) > on:
        years -= 1
    if years < 0:
        return 0, Decimal(0)
    start, end = add_months(issue_date, 12 * years), add_months(issue_date, 12 * (years + 1))
    return years, Decimal((on - start).days) / Decimal((end - start).days)


def year_end_cash_value(cover: Cover, annual_premium: Decimal, t: int) -> Decimal:
    """Cash value at the end of policy year t (t = 0 is the issue date): the reserve less the
    surrender charge of that year, never below zero. ``annual_premium`` is the single premium
    for a single-premium policy. At maturity it is the maturity benefit about to be paid.
    Unrounded: callers round what they show."""
    if t <= 0:
        return Decimal(0)
    survival = cover.spec.survival_benefits
    if survival is not None and t == cover.term:
        return survival.maturity_share * cover.sum_assured
    reserve = as_decimal(cover.factors.reserve(t)) * cover.sum_assured
    charge = cover.spec.surrender_charge_share(t, single_premium=cover.premium_years == 0) * annual_premium
    return max(Decimal(0), reserve - charge)


@dataclass(frozen=True)
class CashValue:
    policy_year: int  # the policy year running on the date (1 = the first)
    cash_value: Decimal  # before any debt
    paid_up_sum_assured: Decimal  # the cover the cash value would buy with no more premiums


def cash_value_on(cover: Cover, annual_premium: Decimal, issue_date: date, on: date, *,
                  paid_up_sum_assured: Decimal | None = None, paid_up_additions: Decimal = ZERO) -> CashValue:
    t, fraction = policy_year_position(issue_date, on)
    if paid_up_sum_assured is not None:
        # Reduced paid-up already: single-premium cover for the reduced sum, no further charge.
        value = _paid_up_value(cover, paid_up_sum_assured, t, fraction)
    else:
        start, end = year_end_cash_value(cover, annual_premium, t), year_end_cash_value(cover, annual_premium, t + 1)
        value = start + (end - start) * fraction
    cover_value = to_fen(value)
    if paid_up_additions:
        value += _additions_value(cover, paid_up_additions, t, fraction)
    if paid_up_sum_assured is not None:
        reduced = paid_up_sum_assured
    else:
        per_unit = as_decimal(cover.factors.single_premium_at(t))
        reduced = min(cover.sum_assured, to_fen(cover_value / per_unit)) if per_unit > 0 else ZERO
    return CashValue(t + 1, to_fen(value), reduced)


def _paid_up_value(cover: Cover, sum_assured: Decimal, t: int, fraction: Decimal) -> Decimal:
    factors = cover.factors
    start = as_decimal(factors.single_premium_at(t)) * sum_assured
    end = as_decimal(factors.single_premium_at(t + 1)) * sum_assured
    return start + (end - start) * fraction


def _additions_value(cover: Cover, additions: Decimal, t: int, fraction: Decimal) -> Decimal:
    # Additions are whole-life cover bought outright: worth a single premium at attained age.
    basis = cover.factors.basis
    age = cover.age + t
    start = as_decimal(basis.insurance(age)) * additions
    end = as_decimal(basis.insurance(min(age + 1, basis.table.max_age))) * additions
    return start + (end - start) * fraction


def loan_interest(balance: Decimal, rate: Decimal, since: date, on: date) -> Decimal:
    """Simple interest accrued day by day (actual/365) on a loan balance since ``since``."""
    days = max(0, (on - since).days)
    return to_fen(balance * rate * days / DAYS_IN_YEAR)


def loan_maximum(cover: Cover, cash_value: Decimal, debt: Decimal) -> Decimal:
    """What can still be borrowed: the product's share of the cash value, less debt."""
    return max(ZERO, to_fen(cover.spec.loan_share * cash_value - debt))


def dividend_for_year(cover: Cover, policy_year: int) -> Decimal:
    """Dividend declared at the end of a policy year by the excess-interest method: the
    scale's rate on the reserve held during that year (opening reserve plus the year's net
    premium; a single premium is already in the opening reserve)."""
    dividends = cover.spec.dividends
    if dividends is None or policy_year < 1:
        return ZERO
    factors = cover.factors
    premium = factors.net_rate if policy_year <= cover.premium_years else 0.0
    held = as_decimal(factors.reserve(policy_year - 1) + premium) * cover.sum_assured
    return to_fen(dividends.rate(policy_year) * max(Decimal(0), held))


@dataclass(frozen=True)
class Benefit:
    due_on: date
    amount: Decimal
    kind: str  # survival / maturity


def survival_benefit_schedule(cover: Cover, issue_date: date) -> tuple[Benefit, ...]:
    """Every survival benefit the product promises, and the maturity benefit."""
    survival = cover.spec.survival_benefits
    if survival is None or cover.term is None:
        return ()
    benefits = [
        Benefit(add_months(issue_date, 12 * year), to_fen(survival.share_of_sum_assured * cover.sum_assured), "survival")
        for year in range(survival.every_years, cover.term, survival.every_years)
    ]
    benefits.append(Benefit(add_months(issue_date, 12 * cover.term), to_fen(survival.maturity_share * cover.sum_assured), "maturity"))
    return tuple(benefits)


def reinstatement_amount(modal_premium: Decimal, mode: str, issue_date: date, paid_to: date, on: date,
                         rate: Decimal, premium_end: date | None, debt: Decimal) -> Decimal:
    """Premiums missed since the paid-to date, each with simple interest from its due date,
    plus the outstanding debt: what reinstating the policy on ``on`` costs."""
    total = Decimal(0)
    # Dues up to and including ``on``; none on or after the premium end date (no premium falls then).
    end = min(on + timedelta(days=1), premium_end) if premium_end else on + timedelta(days=1)
    for due in due_dates(issue_date, mode, before=end):
        if due >= paid_to:
            total += modal_premium * (1 + rate * Decimal((on - due).days) / DAYS_IN_YEAR)
    return to_fen(total + debt)

