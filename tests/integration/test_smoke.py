from decimal import Decimal

from paas.policies import queries
from tests.factories import make_policy, make_policyholder


def test_asset_sheet_lists_owned_policies(uow):
    customer, _ = make_policyholder(uow)
    make_policy(uow, customer, sum_assured="100000.00", premium="300.00")
    make_policy(uow, customer, product="CI", mode="monthly", sum_assured="200000.00", premium="50.00")
    sheet = queries.asset_sheet(uow, customer.id)
    assert len(sheet.policies) == 2
    assert sheet.total_cover == Decimal("300000.00")
    assert sheet.total_annual_premium == Decimal("900.00")
