"""Every premium a policy's owner has paid on it (query 2, the full history the policy page
links to). Another customer's policy is not found, as on the policy page."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select

from iaas.database import DirectStatement
from paas.errors import N_
from paas.policies.detail import PREMIUMS, PremiumLine, owned_policy_row
from paas.policies.models import Policy
from paas.products.models import Product

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

# How each premium was paid (``PremiumPayment.channel``); anything else is "Other".
CHANNEL_LABELS = {
    "bank_debit": N_("Bank debit"),
    "card": N_("Card"),
    "loan": N_("Automatic premium loan"),
    "benefit": N_("From the maturity benefit"),
}
OTHER_CHANNEL = N_("Other")


@dataclass(frozen=True)
class PremiumHistory:
    policy_number: str
    product_name_zh: str
    product_name_en: str
    premiums: tuple[PremiumLine, ...]  # newest first

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.premiums), Decimal("0.00"))

    def product_name(self, locale: str) -> str:
        return self.product_name_zh if locale == "zh" else self.product_name_en


_OWNED_POLICY = DirectStatement(
    select(Policy.id, Policy.policy_number, Product.name_zh, Product.name_en)
    .join(Product, Product.id == Policy.product_id)
    .where(Policy.policy_number == bindparam("number"), Policy.owner_id == bindparam("owner_id"))
)


def premium_history(uow: "UnitOfWork", customer_id: int, policy_number: str) -> PremiumHistory:
    connection = uow.connection()
    policy_id, number, name_zh, name_en = owned_policy_row(connection, _OWNED_POLICY, customer_id, policy_number)
    lines = tuple(PremiumLine(*r) for r in PREMIUMS.rows(connection, {"policy_id": policy_id}))
    return PremiumHistory(number, name_zh, name_en, lines)
