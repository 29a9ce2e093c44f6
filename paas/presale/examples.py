"""Live examples for the knowledge pages, computed by the engine rather than typed by hand:
a sample participating whole-life quote with its reserve, surrender charge and cash value,
and what reinstating it after a missed premium would cost."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from paas.money import to_fen
from paas.policies import terms
from paas.presale.quoting import quote_from_fields
from paas.products.pricing import as_decimal
from paas.products.quotes import Quote
from paas.products.values import loan_maximum, reinstatement_amount

SAMPLE_QUOTE = {"product": "WLPAR", "sex": "M", "age": "30", "sum_assured": "300000", "premium_term": "20", "mode": "annual"}
SHOWN_YEARS = (1, 2, 3, 5, 8, 10, 15, 20, 25, 30)
LOAN_EXAMPLE_YEAR = 10
# The servicing rules the pages explain (``rules.GRACE_DAYS`` in them): the policies' own terms.
GRACE_DAYS = terms.GRACE_DAYS
FREE_LOOK_DAYS = terms.FREE_LOOK_DAYS
REINSTATEMENT_YEARS = terms.REINSTATEMENT_YEARS
REINSTATED_AFTER_DAYS = 200  # the reinstatement example: the missed premium fell due at least this long ago


@dataclass(frozen=True)
class CashValueLine:
    policy_year: int
    age: int
    premiums_paid: Decimal
    reserve: Decimal
    surrender_charge: Decimal  # may exceed the reserve in the first years: the cash value is then zero
    cash_value: Decimal


@dataclass(frozen=True)
class CashValueExample:
    quote: Quote
    lines: tuple[CashValueLine, ...]
    loan_year: int
    loan_maximum: Decimal  # the most that could be borrowed at the end of loan_year


def cash_value_example(today: date) -> CashValueExample:
    quoted = quote_from_fields(SAMPLE_QUOTE, today)
    cover, annual = quoted.cover, quoted.premium.per_year
    lines = []
    for year in quoted.illustration:
        if year.policy_year not in SHOWN_YEARS:
            continue
        reserve = to_fen(as_decimal(cover.factors.reserve(year.policy_year)) * cover.sum_assured)
        charge = to_fen(cover.spec.surrender_charge_share(year.policy_year) * annual)
        if year.cash_value > 0:  # shown so that the row adds up to the fen after rounding
            charge = reserve - year.cash_value
        lines.append(CashValueLine(year.policy_year, year.age, year.premiums_paid, reserve, charge, year.cash_value))
    at_loan_year = next(y for y in quoted.illustration if y.policy_year == LOAN_EXAMPLE_YEAR)
    return CashValueExample(quoted, tuple(lines), LOAN_EXAMPLE_YEAR, loan_maximum(cover, at_loan_year.cash_value, Decimal(0)))


@dataclass(frozen=True)
class ReinstatementExample:
    premium: Decimal
    rate: Decimal  # simple interest a year on each missed premium
    due_on: date
    grace_ended_on: date  # the policy lapsed when this day passed unpaid
    reinstated_on: date
    amount: Decimal  # the missed premium with its interest


def grace_period_end(due_on: date) -> date:
    return terms.grace_ends(due_on)


def reinstatement_example(quoted: Quote, today: date) -> ReinstatementExample:
    """The sample policy's yearly premium missed, and the policy reinstated today."""
    due_on = (today - timedelta(days=REINSTATED_AFTER_DAYS)).replace(day=1)  # the 1st: every year has one
    issued_on = due_on.replace(year=due_on.year - 5)
    premium, rate = quoted.premium.modal, quoted.spec.reinstatement_interest
    amount = reinstatement_amount(premium, quoted.cover.mode, issued_on, due_on, today, rate, None, Decimal(0))
    return ReinstatementExample(premium, rate, due_on, grace_period_end(due_on), today, amount)
