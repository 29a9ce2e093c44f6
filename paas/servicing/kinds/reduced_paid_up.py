"""Reduced paid-up (21204, 减额交清): premiums stop for good and the cash value buys the
lower sum assured it can pay for outright, as the values engine works it out. Offered to a
policy in force with premiums still to pay and no loan (its terms want the loan repaid first)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paas.errors import N_
from paas.policies.terms import IN_FORCE, PAID_UP, SINGLE, STATUS_LABELS
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.servicing.kinds.common import ENDING_GROUPS, LOAN_OUTSTANDING, require_eligible, standing_reason
from paas.servicing.kinds.preferences import NO_PREMIUMS_LEFT

NOT_FOR_FUNDS = N_("This product has no reduced paid-up option: its value is in its funds.")
TOO_LITTLE_VALUE = N_("The cash value is not yet enough to buy any paid-up cover.")


def premium_cover_reason(ctx: PolicyContext) -> str | None:
    """Why a change to a premium-paying cover is not possible now (shared with the sum
    assured reduction)."""
    if ctx.cover.spec.unit_linked is not None:
        return NOT_FOR_FUNDS
    reason = standing_reason(ctx, frozenset({IN_FORCE}))
    if reason is not None:
        return reason
    policy = ctx.policy
    if ctx.facts.premium_mode == SINGLE or (policy.premium_end_date and policy.paid_to_date >= policy.premium_end_date):
        return NO_PREMIUMS_LEFT
    return LOAN_OUTSTANDING if ctx.valuation.debt > 0 else None


@dataclass(frozen=True)
class ReducedPaidUp(Transaction):
    kind: str = "reduced_paid_up"
    label: str = N_("Stop premiums: reduced paid-up cover")
    description: str = N_("Pay no more premiums and keep a lower sum assured, paid for by the cash value.")
    groups: frozenset[str] = field(default_factory=lambda: ENDING_GROUPS)
    fields: tuple[Field, ...] = ()
    step_up: str = SMS

    def eligibility(self, ctx: PolicyContext) -> str | None:
        reason = premium_cover_reason(ctx)
        return reason or (TOO_LITTLE_VALUE if ctx.valuation.paid_up_sum_assured <= 0 else None)

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        return {"paid_up_sum_assured": str(ctx.valuation.paid_up_sum_assured)}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("Sum assured"), ctx.policy.sum_assured, Decimal(inputs["paid_up_sum_assured"]), kind="money"),
                PreviewLine(N_("Premium per payment"), ctx.policy.modal_premium, Decimal("0.00"), kind="money"),
                PreviewLine(N_("Status"), STATUS_LABELS[IN_FORCE], STATUS_LABELS[PAID_UP], kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        policy = ctx.policy
        policy.status, policy.status_date = PAID_UP, ctx.today
        policy.paid_up_sum_assured = Decimal(inputs["paid_up_sum_assured"])
        # Nothing left to pay: no automatic premium loans, no pending change of premium mode.
        policy.automatic_premium_loan, policy.next_premium_mode = False, None
        return {"paid_up_sum_assured": inputs["paid_up_sum_assured"], "status": PAID_UP}
