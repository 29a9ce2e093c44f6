"""Queries 3-6 on the demo policies, through the real app, checked against the engine
and independent arithmetic."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.funds.models import FundHolding, FundPrice
from paas.policies.facts import FACT_COLUMNS, facts_from, with_facts
from paas.policies.models import Policy
from paas.policies.valuation import cover_of
from paas.products.values import dividend_for_year
from portal.demo.people import DEMO_PASSWORD
from portal.demo.seed import seed_demo


@pytest.fixture
def demo(platform, web):
    seed_demo(platform)
    web.login("demo@example.com", DEMO_PASSWORD)
    return {p["product_code"]: p for p in web.get("/api/v1/policies").json["policies"]}


def _detail(web, policy):
    return web.get(f"/api/v1/policies/{policy['policy_number']}").json


def test_participating_policy_dividends_accumulate_with_interest(demo, web, uow):
    policy = demo["WLPAR"]
    detail = _detail(web, policy)
    assert detail["dividend_option"] == "accumulate"
    declared = {d["policy_year"]: Decimal(d["amount"]) for d in detail["dividends"]}
    row = uow.session.execute(select(Policy).where(Policy.policy_number == policy["policy_number"])).scalar_one()
    cover = cover_of(_facts(uow, row))
    assert declared == {year: dividend_for_year(cover, year) for year in range(2, 11)}  # year 1's rate is zero
    held = Decimal(0)
    for year in range(1, 11):  # interest on last year's balance, then this year's dividend
        held = (held + (held * Decimal("0.025")).quantize(Decimal("0.01"))) + declared.get(year, Decimal(0))
    assert Decimal(policy["values"]["dividends_held"]) == held


def test_policy_loan_debt_and_borrowing_limit(demo):
    values = demo["WLPAR"]["values"]
    capitalised = Decimal("20000") + Decimal("832.88")  # 2025-05-01 to the 2026-03-01 anniversary at 5%
    accrued = (capitalised * Decimal("0.05") * 271 / 365).quantize(Decimal("0.01"))  # to 2026-11-27
    assert Decimal(values["debt"]) == capitalised + accrued
    assert Decimal(values["loan_maximum"]) == (Decimal("0.8") * Decimal(values["cash_value"]) - Decimal(values["debt"])).quantize(Decimal("0.01"))
    assert Decimal(values["net_cash_value"]) == Decimal(values["cash_value"]) - Decimal(values["debt"])


def test_survival_benefit_left_with_the_insurer_earns_interest(demo, web):
    endowment = demo["ENDOW"]
    assert endowment["status"] == "lapsed"
    # 10,000 credited on 2023-09-01, then 2.5% at each anniversary since.
    assert Decimal(endowment["values"]["survival_benefits_held"]) == Decimal("10768.91")
    schedule = _detail(web, endowment)["survival_benefits"]
    assert schedule[0] == {"due_on": "2023-09-01", "amount": "10000.00", "kind": "survival"}
    assert schedule[-1]["kind"] == "maturity" and schedule[-1]["amount"] == "100000.00"


def test_unit_linked_value_is_units_times_latest_price(platform, web, uow):
    seed_demo(platform)
    web.login("demo2@example.com", DEMO_PASSWORD)
    ulink = next(p for p in web.get("/api/v1/policies").json["policies"] if p["product_code"] == "ULINK")
    funds = _detail(web, ulink)["funds"]
    expected = Decimal(0)
    for fund in funds:
        latest = uow.session.execute(
            select(FundPrice.price).where(FundPrice.fund_code == fund["fund_code"]).order_by(FundPrice.price_date.desc()).limit(1)
        ).scalar_one()
        units = uow.session.execute(select(FundHolding.units).where(FundHolding.fund_code == fund["fund_code"])).scalar_one()
        assert Decimal(fund["price"]) == latest and Decimal(fund["units"]) == units
        expected += (units * latest).quantize(Decimal("0.01"))
    assert Decimal(ulink["values"]["fund_value"]) == expected
    # Surrendering in policy year 6 costs nothing more: the charges have run off.
    assert ulink["values"]["cash_value"] == ulink["values"]["fund_value"]


def test_asset_sheet_totals_add_up_and_show_on_the_page(demo, web):
    body = web.get("/api/v1/policies").json
    totals = body["totals"]
    values = [p["values"] for p in body["policies"]]
    assert Decimal(totals["total_cash_value"]) == sum(Decimal(v["cash_value"]) for v in values)
    assert Decimal(totals["total_debt"]) == sum(Decimal(v["debt"]) for v in values)
    assert Decimal(totals["total_accumulated"]) == sum(
        Decimal(v["dividends_held"]) + Decimal(v["survival_benefits_held"]) for v in values)
    page = web.text("/")
    assert f'data-test="total-cash-value">¥{Decimal(totals["total_cash_value"]):,.2f}' in page
    assert f'data-test="total-debt">¥{Decimal(totals["total_debt"]):,.2f}' in page


def test_ended_policies_have_no_value(platform, web):
    seed_demo(platform)
    web.login("demo2@example.com", DEMO_PASSWORD)
    for policy in web.get("/api/v1/policies").json["policies"]:
        if policy["status"] in ("matured", "surrendered"):
            assert policy["values"]["cash_value"] == "0.00" and policy["values"]["loan_maximum"] == "0.00"


def _facts(uow, policy):
    row = uow.session.connection().execute(
        with_facts(select(*FACT_COLUMNS)).where(Policy.id == policy.id), {"today": uow.clock.today()}
    ).one()
    return facts_from(row)
