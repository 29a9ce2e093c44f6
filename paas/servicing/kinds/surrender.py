"""Full surrender (18511, 退保): the policy ends and its value is paid out - the cash value
(unit-linked: the fund value less the year's surrender charge) less the loan, which it
settles, plus any dividends and survival benefits still held. Above the configured amount
(SecurityPolicy.surrender_review_above) a servicing clerk approves it first."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from paas.errors import N_
from paas.funds.models import FundHolding
from paas.loans.lending import repay
from paas.policies.ledger import ACCOUNTS, credit
from paas.policies.terms import GRACE, IN_FORCE, LAPSED, PAID_UP, STATUS_LABELS, SURRENDERED
from paas.servicing.base import CLERK, SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.servicing.kinds.common import ENDING_GROUPS, SURRENDER_NOW, amount_text, require_eligible, standing_reason
from paas.servicing.kinds.investing import refuse_while_orders_pending
from paas.servicing.kinds.policy_loan import open_loan
from paas.servicing.payout import check_payout_account, record_payout

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FullSurrender(Transaction):
    kind: str = "surrender"
    label: str = N_("Surrender the policy")
    description: str = N_("End the policy and take its cash value, less any loan.")
    groups: frozenset[str] = field(default_factory=lambda: ENDING_GROUPS)
    fields: tuple[Field, ...] = (Field("bank_account", N_("Pay into"), kind="bank_account"),)
    step_up: str = SMS
    pays_out: bool = True

    def eligibility(self, ctx: PolicyContext) -> str | None:
        return standing_reason(ctx, frozenset({IN_FORCE, GRACE, PAID_UP, LAPSED}))

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        refuse_while_orders_pending(uow, ctx)
        v = ctx.valuation  # read under the policy's lock: a loan taken a moment ago is in its debt
        held = {account: ctx.held(uow, account) for account in ACCOUNTS}
        total = v.net_cash_value + sum(held.values())
        return {"cash_value": str(v.cash_value), "debt": str(v.debt), "held": {a: str(h) for a, h in held.items()},
                "charge": str(v.fund_value - v.cash_value if v.fund_value is not None else ZERO),
                "total": str(total), "bank_account": check_payout_account(uow, ctx, raw.get("bank_account")),
                "review": total > uow.platform.security.surrender_review_above}

    def field_guide(self, ctx: PolicyContext) -> dict[str, tuple[str, dict]]:
        # The valuation's held money (the page is read without the lock; applying re-reads it).
        v = ctx.valuation
        total = v.net_cash_value + v.dividends_held + v.survival_benefits_held
        return {"bank_account": (SURRENDER_NOW, {"amount": amount_text(total)})}

    def route(self, ctx: PolicyContext, inputs: dict) -> str | None:
        return CLERK if inputs["review"] else None

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        held = sum((Decimal(h) for h in inputs["held"].values()), ZERO)
        lines = [PreviewLine(N_("Cash value"), None, Decimal(inputs["cash_value"]), kind="money")]
        if Decimal(inputs["charge"]):
            lines.append(PreviewLine(N_("Surrender charge"), None, Decimal(inputs["charge"]), kind="money"))
        return lines + [PreviewLine(N_("Loan repaid from it"), None, Decimal(inputs["debt"]), kind="money"),
                        PreviewLine(N_("Dividends and survival benefits held"), None, held, kind="money"),
                        PreviewLine(N_("Paid to you"), None, Decimal(inputs["total"]), kind="money"),
                        PreviewLine(N_("Status"), STATUS_LABELS[ctx.policy.status], STATUS_LABELS[SURRENDERED],
                                    kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        loan = open_loan(uow, ctx.policy.id)
        if loan is not None:  # settled from the cash value
            repay(loan, ctx.today)
        for account, held in inputs["held"].items():
            if Decimal(held) > 0:
                credit(uow, ctx.policy.id, account, "surrender", -Decimal(held), ctx.today,
                       reference=f"servicing:{reference}:{account}")
        uow.session.execute(update(FundHolding).where(FundHolding.policy_id == ctx.policy.id).values(units=0))
        if Decimal(inputs["total"]) > 0:
            record_payout(uow, ctx, Decimal(inputs["total"]), inputs["bank_account"], reference)
        ctx.policy.status, ctx.policy.status_date = SURRENDERED, ctx.today
        return {"paid": inputs["total"], "cash_value": inputs["cash_value"], "loan_settled": inputs["debt"],
                "held": inputs["held"], "status": SURRENDERED}
