"""Sum assured reduction (21204): a lower sum assured, not below the product's minimum, for
a lower premium priced by the engine for the remaining cover. The cash value held for the
part given up is released and paid to the customer."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from paas.errors import N_, InvalidInput
from paas.money import parse_amount
from paas.policies.valuation import annual_premium
from paas.products.pricing import Cover, premium_for
from paas.products.values import cash_value_on
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import require_eligible
from paas.servicing.kinds.reduced_paid_up import premium_cover_reason
from paas.servicing.payout import check_payout_account, record_payout

AT_MINIMUM = N_("The sum assured is already the smallest this product allows.")
NOT_LOWER = N_("The new sum assured must be below the present %(current)s yuan.")
BELOW_PRODUCT_MINIMUM = N_("The sum assured cannot be below %(minimum)s yuan for this product.")


def released_value(ctx: PolicyContext, lower: Cover) -> Decimal:
    """Cash value of the cover as it is, less that of the lower cover (each with its own
    premium's surrender charge); paid-up additions are untouched by the change."""
    before = cash_value_on(ctx.cover, annual_premium(ctx.facts), ctx.policy.issue_date, ctx.today).cash_value
    after = cash_value_on(lower, premium_for(lower).per_year, ctx.policy.issue_date, ctx.today).cash_value
    return max(Decimal("0.00"), before - after)


@dataclass(frozen=True)
class SumAssuredReduction(Transaction):
    kind: str = "sum_assured_reduction"
    label: str = N_("Reduce the sum assured")
    description: str = N_("Lower the cover and the premium; the cash value of the part given up is paid to you.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"money", "cover", "billing"}))
    fields: tuple[Field, ...] = (
        Field("sum_assured", N_("New sum assured (yuan)"), kind="money"),
        Field("bank_account", N_("Pay the released cash value into"), kind="bank_account"),
    )
    step_up: str = SMS
    pays_out: bool = True

    def eligibility(self, ctx: PolicyContext) -> str | None:
        reason = premium_cover_reason(ctx)
        return reason or (AT_MINIMUM if ctx.policy.sum_assured <= ctx.cover.spec.sum_assured[0] else None)

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        checks = FieldChecks()
        lower = checks(self._lower, ctx, raw)
        if lower is None:
            # Whether cash is released depends on the sum; an account typed is checked anyway.
            if raw.get("bank_account"):
                checks(check_payout_account, uow, ctx, raw.get("bank_account"))
            checks.done()
        cover = replace(ctx.cover, sum_assured=lower)
        released = released_value(ctx, cover)
        bank = check_payout_account(uow, ctx, raw.get("bank_account")) if released > 0 else None
        return {"sum_assured": str(lower), "premium": str(premium_for(cover).modal), "released": str(released),
                "bank_account": bank}

    @staticmethod
    def _lower(ctx: PolicyContext, raw: dict[str, Any]) -> Decimal:
        lower = parse_amount(str(raw.get("sum_assured", "")), field="sum_assured")
        if lower >= ctx.policy.sum_assured:
            raise InvalidInput(NOT_LOWER, field="sum_assured", current=f"{ctx.policy.sum_assured:,.2f}")
        minimum = ctx.cover.spec.sum_assured[0]
        if lower < minimum:
            raise InvalidInput(BELOW_PRODUCT_MINIMUM, field="sum_assured", minimum=f"{minimum:,.2f}")
        return lower

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("Sum assured"), ctx.policy.sum_assured, Decimal(inputs["sum_assured"]), kind="money"),
                PreviewLine(N_("Premium per payment"), ctx.policy.modal_premium, Decimal(inputs["premium"]), kind="money"),
                PreviewLine(N_("New premium from the due of"), None, ctx.policy.paid_to_date, kind="date"),
                PreviewLine(N_("Cash value paid to you"), None, Decimal(inputs["released"]), kind="money")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        policy, released = ctx.policy, Decimal(inputs["released"])
        policy.sum_assured, policy.modal_premium = Decimal(inputs["sum_assured"]), Decimal(inputs["premium"])
        if released > 0:
            record_payout(uow, ctx, released, inputs["bank_account"], reference)
        return {k: inputs[k] for k in ("sum_assured", "premium", "released")}
