"""The columns every valuation needs, as one SELECT fragment: the policy, its product and
insured, its open loan, money held for it and its fund value, all in a single round trip."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import aliased

from paas.customers.models import Customer
from paas.funds.models import FundHolding, FundPrice
from paas.loans.models import PolicyLoan
from paas.policies.models import Policy, PolicyLedgerEntry
from paas.policies.valuation import PolicyFacts
from paas.products.models import Product

insured = aliased(Customer)
ZERO = Decimal("0.00")


def _held(account: str):
    return (
        select(func.sum(PolicyLedgerEntry.amount))
        .where(PolicyLedgerEntry.policy_id == Policy.id, PolicyLedgerEntry.account == account)
        .correlate(Policy)
        .scalar_subquery()
    )


# Each holding at its latest unit price on or before the valuation date (:today).
_latest_price = (
    select(FundPrice.price)
    .where(FundPrice.fund_code == FundHolding.fund_code, FundPrice.price_date <= bindparam("today"))
    .order_by(FundPrice.price_date.desc())
    .limit(1)
    .correlate(FundHolding)
    .scalar_subquery()
)
_fund_value = (
    select(func.sum(FundHolding.units * _latest_price))
    .where(FundHolding.policy_id == Policy.id)
    .correlate(Policy)
    .scalar_subquery()
)

FACT_COLUMNS = (
    Product.code, Product.version, Policy.status, Policy.issue_date, Policy.expiry_date, Policy.premium_end_date,
    Policy.paid_to_date, Policy.sum_assured, Policy.modal_premium, Policy.premium_mode,
    insured.birth_date, insured.gender, Policy.paid_up_sum_assured, Policy.paid_up_additions,
    PolicyLoan.balance, PolicyLoan.interest_rate, PolicyLoan.interest_to,
    _held("dividends"), _held("survival_benefits"), _fund_value,
)


def with_facts(query):
    """Add the joins the fact columns need to a query selecting from policies."""
    return (
        query.join(Product, Product.id == Policy.product_id)
        .join(insured, insured.id == Policy.insured_id)
        .outerjoin(PolicyLoan, and_(PolicyLoan.policy_id == Policy.id, PolicyLoan.status == "open"))
    )


def facts_from(values) -> PolicyFacts:
    """Build the facts from the FACT_COLUMNS part of a row."""
    (code, version, status, issued, expiry, premium_end, paid_to, sum_assured, premium, mode, born, gender,
     paid_up, additions, loan, rate, interest_to, dividends, survival, funds) = values
    return PolicyFacts(
        code, version, status, issued, expiry, premium_end, paid_to, sum_assured, premium, mode, born, gender,
        paid_up, additions or ZERO, loan, rate, interest_to,
        Decimal(dividends or 0), Decimal(survival or 0), Decimal(str(funds)) if funds is not None else None,
    )
