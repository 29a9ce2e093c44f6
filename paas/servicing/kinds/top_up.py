"""Top-up (追加保费) of a unit-linked policy: an extra amount collected by direct debit and
invested at the next unit price, split between the funds as the policy's future premium
allocation says (or as it holds them now, if no allocation was chosen). Top-ups are taken
once the free-look period is over: a cancellation refunds the premiums alone."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from paas.errors import N_, InvalidInput
from paas.funds.allocation import allocation_weights
from paas.funds.orders import BUY, next_trade_date, place_money_orders, split_by_weight
from paas.funds.positions import fund_positions
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.collection import check_debit_account, record_collection
from paas.servicing.kinds.common import amount_within, free_look_end, require_eligible
from paas.servicing.kinds.investing import unit_linked_reason

MINIMUM = Decimal("1000.00")
MAXIMUM = Decimal("1000000.00")  # larger sums go through the counter (anti-money-laundering checks)
BELOW_MINIMUM = N_("A top-up is at least %(minimum)s yuan.")
IN_FREE_LOOK = N_("Top-ups are accepted once the free-look period has ended, after %(date)s.")


@dataclass(frozen=True)
class TopUp(Transaction):
    kind: str = "top_up"
    label: str = N_("Top up")
    description: str = N_("Invest an extra amount in the policy's funds, collected from your bank account.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"money", "funds"}))
    fields: tuple[Field, ...] = (
        Field("amount", N_("Amount (yuan)"), kind="money"),
        Field("bank_account", N_("Debit this account"), kind="bank_account"),
    )
    step_up: str = SMS

    def eligibility(self, ctx: PolicyContext) -> str | None:
        reason = unit_linked_reason(ctx)
        return reason or (IN_FREE_LOOK if ctx.today <= free_look_end(ctx) else None)

    def reason_params(self, ctx: PolicyContext) -> dict:
        return {"date": free_look_end(ctx).isoformat()}

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        checks = FieldChecks()
        amount = checks(_top_up_amount, raw)
        bank = checks(check_debit_account, uow, ctx, raw.get("bank_account"))
        checks.done()
        weights = allocation_weights(ctx.policy.fund_allocation, fund_positions(uow, ctx.policy.id, ctx.cover.spec, ctx.today))
        split = split_by_weight(amount, weights)
        return {"amount": str(amount), "bank_account": bank, "trade_date": next_trade_date(ctx.today).isoformat(),
                "funds": {code: str(part) for code, part in split.items()}}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        lines = [PreviewLine(N_("Collected from your bank account"), None, Decimal(inputs["amount"]), kind="money")]
        # One line per fund, labelled by its code (the same in every language).
        lines += [PreviewLine(code, None, Decimal(part), kind="money") for code, part in inputs["funds"].items()]
        return lines + [PreviewLine(N_("Invested at the unit price of"), None, inputs["trade_date"], kind="date")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        amount = Decimal(inputs["amount"])
        record_collection(uow, ctx, amount, inputs["bank_account"], reference, "top_up")
        place_money_orders(uow, ctx.policy.id, reference, BUY, {c: Decimal(a) for c, a in inputs["funds"].items()},
                           date.fromisoformat(inputs["trade_date"]))
        return {"amount": inputs["amount"], "funds": inputs["funds"], "trade_date": inputs["trade_date"]}


def _top_up_amount(raw: dict[str, Any]) -> Decimal:
    amount = amount_within(raw, MAXIMUM)
    if amount < MINIMUM:
        raise InvalidInput(BELOW_MINIMUM, field="amount", minimum=f"{MINIMUM:,.2f}")
    return amount
