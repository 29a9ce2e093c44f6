"""Net worth (净资产) for the one-account view: the insurance values the insurer holds for
the customer plus the accounts they hold elsewhere, less what they owe on policy loans."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from paas.assets.allocation import INSURANCE, ZERO, AllocationSlice, allocate
from paas.assets.external import ExternalAccountLine, list_accounts
from paas.policies.queries import asset_sheet

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class NetWorth:
    insurance_cash_value: Decimal
    insurance_accumulated: Decimal  # dividends and survival benefits left with the insurer
    insurance_debt: Decimal  # policy loans with interest
    accounts: tuple[ExternalAccountLine, ...]
    allocation: tuple[AllocationSlice, ...]  # every category, zero or not

    @property
    def total_assets(self) -> Decimal:
        return sum((s.amount for s in self.allocation), ZERO)

    @property
    def net_worth(self) -> Decimal:
        return self.total_assets - self.insurance_debt

    @property
    def held(self) -> tuple[AllocationSlice, ...]:
        """The categories with something in them: the chart's segments."""
        return tuple(s for s in self.allocation if s.amount > 0)


def compose(cash_value: Decimal, accumulated: Decimal, debt: Decimal,
            accounts: tuple[ExternalAccountLine, ...]) -> NetWorth:
    amounts = {INSURANCE: cash_value + accumulated}
    for account in accounts:
        amounts[account.kind] = amounts.get(account.kind, ZERO) + account.balance
    return NetWorth(cash_value, accumulated, debt, accounts, allocate(amounts))


def net_worth(uow: "UnitOfWork", customer_id: int) -> NetWorth:
    sheet = asset_sheet(uow, customer_id)
    return compose(
        sheet.total_cash_value, sheet.total_accumulated, sheet.total_debt, list_accounts(uow, customer_id)
    )
