"""Partial withdrawal (105) from a unit-linked policy. The customer names the amount they
receive; units worth that amount plus the year's surrender charge on it are sold pro rata
across the funds at the next unit price, and at least MINIMUM_REMAINING stays invested.
The money is paid once the units are sold (paas.funds.execution), with what the sale
really raised: before that there is no money to pay, and the overnight price is the
customer's, as with any unit-linked sale."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from paas.errors import N_, InvalidInput
from paas.funds.orders import SELL, next_trade_date, place_money_orders, split_by_weight
from paas.money import FEN, to_fen
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.fund_proceeds import PAID_AFTER_SALE
from paas.servicing.kinds.common import amount_within, require_eligible
from paas.servicing.kinds.investing import free_funds, unit_linked_reason
from paas.servicing.payout import check_payout_account

MINIMUM_REMAINING = Decimal("5000.00")
NOTHING_TO_WITHDRAW = N_("Nothing can be withdrawn: at least %(minimum)s yuan must stay invested.")


def withdrawal_maximum(available: Decimal, charge_share: Decimal) -> Decimal:
    """The largest amount, to the fen, that with its charge leaves MINIMUM_REMAINING invested."""
    room = available - MINIMUM_REMAINING
    if room <= 0:
        return Decimal("0.00")
    amount = (room / (1 + charge_share)).quantize(FEN, rounding=ROUND_DOWN)
    while amount > 0 and amount + to_fen(amount * charge_share) > room:
        amount -= FEN
    return amount


@dataclass(frozen=True)
class PartialWithdrawal(Transaction):
    kind: str = "partial_withdrawal"
    label: str = N_("Partial withdrawal")
    description: str = N_("Take part of the fund value out; units are sold at the next unit price.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"money", "funds"}))
    fields: tuple[Field, ...] = (
        Field("amount", N_("Amount you receive (yuan)"), kind="money"),
        Field("bank_account", N_("Pay into"), kind="bank_account"),
    )
    step_up: str = SMS
    pays_out: bool = True

    def eligibility(self, ctx: PolicyContext) -> str | None:
        reason = unit_linked_reason(ctx)
        return reason or (NOTHING_TO_WITHDRAW if (ctx.valuation.fund_value or 0) <= MINIMUM_REMAINING else None)

    def reason_params(self, ctx: PolicyContext) -> dict:
        return {"minimum": f"{MINIMUM_REMAINING:,.2f}"}

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        free = free_funds(uow, ctx)  # live units, less what earlier withdrawals are selling
        available = sum((p.value for p in free.values()), Decimal("0.00"))
        share = ctx.cover.spec.unit_linked.surrender_charge_share(ctx.valuation.policy_year)
        maximum = withdrawal_maximum(available, share)
        if maximum <= 0:
            raise InvalidInput(NOTHING_TO_WITHDRAW, field="amount", **self.reason_params(ctx))
        checks = FieldChecks()
        amount = checks(amount_within, raw, maximum)
        bank = checks(check_payout_account, uow, ctx, raw.get("bank_account"))
        checks.done()
        charge = to_fen(amount * share)
        sells = split_by_weight(amount + charge, {code: p.value for code, p in free.items() if p.value > 0})
        return {"amount": str(amount), "charge": str(charge), "available": str(available),
                "bank_account": bank,
                "trade_date": next_trade_date(ctx.today).isoformat(),
                "funds": {code: str(part) for code, part in sells.items()}}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        amount, charge, available = (Decimal(inputs[k]) for k in ("amount", "charge", "available"))
        return [PreviewLine(N_("Fund value"), available, available - amount - charge, kind="money"),
                PreviewLine(N_("Surrender charge"), None, charge, kind="money"),
                PreviewLine(N_("Paid to you"), None, amount, kind="money"),
                PreviewLine(N_("Units sold at the unit price of"), None, inputs["trade_date"], kind="date")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        place_money_orders(uow, ctx.policy.id, reference, SELL, {c: Decimal(a) for c, a in inputs["funds"].items()},
                           date.fromisoformat(inputs["trade_date"]))
        return {"amount": inputs["amount"], "charge": inputs["charge"], "funds": inputs["funds"],
                "trade_date": inputs["trade_date"], "bank_account": inputs["bank_account"], "paid": PAID_AFTER_SALE}
