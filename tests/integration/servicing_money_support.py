"""What the money servicing tests share: policies priced by the engine, unit-linked
policies with units and prices, running a request through start and confirm, and reading
back the events a request raised."""
from __future__ import annotations

import itertools
import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from paas.customers.registry import add_bank_account
from paas.funds.models import FundHolding, FundPrice
from paas.notices.models import PolicyEvent
from paas.products import catalogue
from paas.products.eligibility import age_last_birthday
from paas.products.pricing import Cover, premium_for
from paas.security.sessions import principal_of
from paas.servicing import engine
from tests.factories import make_policy, make_policyholder
from tests.outbox_support import sms_code

TODAY = date(2026, 11, 27)  # a Friday (tests.conftest.TEST_NOW)
NEXT_TRADE = date(2026, 11, 30)  # the Monday after
_keys = itertools.count()


def holder(uow, **fields):
    customer, account = make_policyholder(uow, **fields)
    add_bank_account(uow, customer, bank_name="中国工商银行", account_number="6222020200001234567", verified=True)
    return customer, principal_of(account)


def priced_policy(uow, customer, product: str, sum_assured: str, *, issue: date = date(2020, 3, 1), mode: str = "annual",
                  premium_years: int | None = 20, term_years: int | None = None, paid_to: date | None = None,
                  status: str = "in_force"):
    """A policy whose premium is the engine's, so its values are the product's own."""
    spec = catalogue.product(product, 1)
    years = 0 if mode == "single" else premium_years
    cover = Cover(spec, age_last_birthday(customer.birth_date, issue), customer.gender, Decimal(sum_assured), term_years,
                  years, mode)
    premium = premium_for(cover).modal
    return make_policy(uow, customer, product=product, sum_assured=sum_assured, premium=str(premium), issue_date=issue,
                       mode=mode, premium_years=premium_years, term_years=term_years, status=status,
                       paid_to=paid_to or date(2027, issue.month, issue.day))


PRICES = {"BOND": ("1.2000", "1.2500"), "BAL": ("2.0000", "1.9000"), "GROW": ("0.8000", "1.0000")}


def unit_linked(uow, customer, units: dict[str, str], *, issue: date = date(2020, 3, 1), allocation: str | None = None):
    """A ULINK policy holding ``units``, with prices today and on the next trade date."""
    policy = priced_policy(uow, customer, "ULINK", "200000", issue=issue, premium_years=10)
    policy.fund_allocation = allocation
    for code, count in units.items():
        uow.session.add(FundHolding(policy_id=policy.id, fund_code=code, units=Decimal(count)))
    for code, (today, monday) in PRICES.items():
        for day, price in ((TODAY, today), (NEXT_TRADE, monday)):
            if uow.session.get(FundPrice, (code, day)) is None:
                uow.session.add(FundPrice(fund_code=code, price_date=day, price=Decimal(price)))
    uow.session.flush()
    return policy


def run(uow, who, policy, kind, inputs, *, code=True, key=None):
    request = engine.start(uow, who, policy.policy_number, kind, inputs, channel="web",
                           idempotency_key=key or f"money-{next(_keys)}")
    if request.status == "awaiting_code" and code:
        engine.confirm(uow, who, request.reference, last_code(uow, request.reference))
    return request


def last_code(uow, reference):
    return sms_code(uow, reference)


def event(uow, policy, kind: str) -> dict | None:
    """The detail of the policy's event of this kind and reference (``payout:SR...``), if raised."""
    kind, _, reference = kind.partition(":")
    details = uow.session.scalars(select(PolicyEvent.detail).where(
        PolicyEvent.policy_id == policy.id, PolicyEvent.type == kind, PolicyEvent.reference == reference)).all()
    assert len(details) <= 1
    return json.loads(details[0]) if details else None


def outcome(request) -> dict:
    return json.loads(request.outcome)
