"""Net worth brings the insurance values of the asset sheet together with external accounts."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from paas.assets import net_worth as net_worth_module
from paas.assets.net_worth import net_worth
from paas.policies.queries import AssetSheet, asset_sheet
from tests.factories import PASSWORD, make_external_account, make_policy, make_policyholder

SHEET_VALUES = ("total_cash_value", "total_accumulated", "total_debt")
needs_sheet_values = pytest.mark.skipif(
    not all(hasattr(AssetSheet, name) for name in SHEET_VALUES),
    reason="waiting for AssetSheet.total_cash_value / total_accumulated / total_debt (paas.policies, the lead's work)",
)


@dataclass(frozen=True)
class FixedSheet:
    """Insurance values chosen by the test, so the sums below are known exactly."""

    total_cash_value: Decimal = Decimal("30000.00")
    total_accumulated: Decimal = Decimal("5000.00")
    total_debt: Decimal = Decimal("8000.00")


@pytest.fixture
def fixed_insurance_values(monkeypatch):
    monkeypatch.setattr(net_worth_module, "asset_sheet", lambda uow, customer_id: FixedSheet())


@needs_sheet_values
def test_insurance_part_comes_from_the_asset_sheet(uow):
    customer, account = make_policyholder(uow, email="nw-real@example.com")
    make_policy(uow, customer, product="WLPAR", issue_date=date(2016, 3, 1), term_years=None, premium_years=20,
                sum_assured="300000.00", premium="9000.00", paid_to=date(2027, 3, 1))
    make_external_account(uow, account, kind="bank", balance="1000.00")
    sheet = asset_sheet(uow, customer.id)
    worth = net_worth(uow, customer.id)
    assert worth.insurance_cash_value == sheet.total_cash_value > 0  # ten years of premiums built a value
    assert worth.insurance_accumulated == sheet.total_accumulated
    assert worth.insurance_debt == sheet.total_debt
    insurance = sheet.total_cash_value + sheet.total_accumulated
    assert worth.allocation[0].amount == insurance
    assert worth.total_assets == insurance + Decimal("1000.00")
    assert worth.net_worth == worth.total_assets - sheet.total_debt
    assert sum(s.percent for s in worth.allocation) == Decimal("100.0")


@needs_sheet_values
def test_a_customer_with_nothing_has_a_net_worth_of_zero(uow):
    customer, _ = make_policyholder(uow, email="nw-empty@example.com")
    worth = net_worth(uow, customer.id)
    assert worth.total_assets == worth.net_worth == 0 and worth.held == () and worth.accounts == ()


def test_sums_and_shares_with_known_insurance_values(uow, fixed_insurance_values):
    customer, account = make_policyholder(uow, email="nw-fixed@example.com")
    other, other_account = make_policyholder(uow, email="nw-other@example.com")
    for kind, balance in [("bank", "40000.00"), ("bank", "5000.00"), ("fund", "20000.00")]:
        make_external_account(uow, account, kind=kind, balance=balance)
    make_external_account(uow, other_account, kind="securities", balance="99999.00")  # someone else's
    worth = net_worth(uow, customer.id)
    assert worth.total_assets == Decimal("100000.00") and worth.net_worth == Decimal("92000.00")
    assert [(s.category, s.amount, s.percent) for s in worth.held] == [
        ("insurance", Decimal("35000.00"), Decimal("35.0")), ("bank", Decimal("45000.00"), Decimal("45.0")),
        ("fund", Decimal("20000.00"), Decimal("20.0"))]
    assert len(worth.accounts) == 3


def test_the_page_shows_insurance_beside_the_accounts_and_subtracts_loans(uow, web, fixed_insurance_values):
    customer, account = make_policyholder(uow, email="nw-page@example.com")
    make_external_account(uow, account, kind="pension", balance="65000.00")
    uow.commit()
    web.login("nw-page@example.com", PASSWORD)
    page = web.text("/assets")
    assert re.findall(r'<path class="segment seg-(\w+)"', page) == ["insurance", "pension"]
    assert 'data-test="total-assets">¥100,000.00' in page
    assert 'data-test="insurance-debt">¥8,000.00' in page and 'data-test="net-worth">¥92,000.00' in page
    assert 'data-test="cash-value">¥30,000.00' in page and 'data-test="accumulated">¥5,000.00' in page
    assert 'data-test="share-insurance">35.0%' in page and 'data-test="share-pension">65.0%' in page
    assert "保单价值" in page and "养老金" in page
