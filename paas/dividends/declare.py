"""Declaring a participating policy's dividend for a policy year and applying it by the
option the policyholder chose. Idempotent per (policy, year): the nightly cycle, a rerun or
a catch-up can call it any number of times and the dividend is declared once."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.dividends.models import DividendDeclaration
from paas.errors import N_
from paas.money import to_fen
from paas.policies.ledger import credit
from paas.policies.models import Policy
from paas.products.pricing import Cover, as_decimal
from paas.products.values import dividend_for_year

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CASH = "cash"
ACCUMULATE = "accumulate"
OFFSET_PREMIUM = "offset_premium"
PAID_UP_ADDITIONS = "paid_up_additions"
OPTION_LABELS = {
    CASH: N_("Paid in cash"),
    ACCUMULATE: N_("Left to accumulate at interest"),
    OFFSET_PREMIUM: N_("Used to reduce premiums"),
    PAID_UP_ADDITIONS: N_("Buys paid-up additions"),
}


def declare_dividend(uow: "UnitOfWork", policy: Policy, cover: Cover, policy_year: int, on: date) -> DividendDeclaration | None:
    existing = uow.session.execute(
        select(DividendDeclaration).where(
            DividendDeclaration.policy_id == policy.id, DividendDeclaration.policy_year == policy_year
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    amount = dividend_for_year(cover, policy_year)
    if amount <= 0:
        return None
    option = policy.dividend_option or ACCUMULATE
    declaration = DividendDeclaration(
        policy_id=policy.id, policy_year=policy_year, declared_on=on, amount=amount, option=option,
        created_at=uow.clock.now(),
    )
    uow.session.add(declaration)
    if option == ACCUMULATE:
        credit(uow, policy.id, "dividends", "credit", amount, on, reference=f"dividend:{policy.id}:{policy_year}")
    elif option == PAID_UP_ADDITIONS:
        # Whole-life cover bought outright at the insured's age at the anniversary.
        per_unit = as_decimal(cover.factors.basis.insurance(cover.age + policy_year))
        policy.paid_up_additions = (policy.paid_up_additions or Decimal(0)) + to_fen(amount / per_unit)
    # Cash goes out through payments, and an offset reduces the next premium due: both are
    # the billing work's to carry out from the declaration.
    return declaration
