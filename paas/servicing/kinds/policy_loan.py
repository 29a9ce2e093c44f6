"""Policy loan (18503): borrowing against the cash value, up to the product's loan share of
it less the debt already owed. It is added to the open loan (its interest so far capitalised
first) or opens one at the product's rate, and is paid into the customer's bank account."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from paas.errors import N_
from paas.loans.lending import lend
from paas.loans.models import PolicyLoan
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import BORROW_NOW, amount_text, amount_within, require_eligible, standing_reason
from paas.servicing.kinds.preferences import NO_LOANS
from paas.servicing.payout import check_payout_account, record_payout

NOTHING_TO_BORROW = N_("Nothing more can be borrowed now: the loan limit is reached or the cash value is too small.")


def open_loan(uow, policy_id: int) -> PolicyLoan | None:
    """The policy's open loan; the caller holds the policy's lock, which guards it too."""
    return uow.session.scalar(select(PolicyLoan).where(PolicyLoan.policy_id == policy_id, PolicyLoan.status == "open"))


@dataclass(frozen=True)
class PolicyLoanRequest(Transaction):
    kind: str = "policy_loan"
    label: str = N_("Policy loan")
    description: str = N_("Borrow against the policy's cash value, paid into your bank account.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"money"}))
    fields: tuple[Field, ...] = (
        Field("amount", N_("Amount (yuan)"), kind="money"),
        Field("bank_account", N_("Pay into"), kind="bank_account"),
    )
    step_up: str = SMS
    pays_out: bool = True

    def eligibility(self, ctx: PolicyContext) -> str | None:
        if ctx.cover.spec.loan_share <= 0:
            return NO_LOANS
        reason = standing_reason(ctx)
        if reason is None and ctx.valuation.loan_maximum <= 0:
            return NOTHING_TO_BORROW
        return reason

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        # ctx is read under the policy's lock at every step: its limit already counts any
        # loan or surrender committed a moment ago, so two loans cannot both take the last of it.
        checks = FieldChecks()
        amount = checks(amount_within, raw, ctx.valuation.loan_maximum)
        bank = checks(check_payout_account, uow, ctx, raw.get("bank_account"))
        checks.done()
        return {"amount": str(amount), "bank_account": bank}

    def field_guide(self, ctx: PolicyContext) -> dict[str, tuple[str, dict]]:
        return {"amount": (BORROW_NOW, {"amount": amount_text(ctx.valuation.loan_maximum)})}

    def _rate_percent(self, ctx: PolicyContext) -> Decimal:
        rate = ctx.facts.loan_rate if ctx.facts.loan_balance is not None else ctx.cover.spec.loan_interest
        return (rate * 100).quantize(Decimal("0.01"))

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        v, amount = ctx.valuation, Decimal(inputs["amount"])
        return [PreviewLine(N_("Paid to you"), None, amount, kind="money"),
                PreviewLine(N_("Loan with interest to date"), v.debt, v.debt + amount, kind="money"),
                PreviewLine(N_("Still available to borrow"), v.loan_maximum, v.loan_maximum - amount, kind="money"),
                PreviewLine(N_("Loan interest rate a year"), None, self._rate_percent(ctx), kind="percent")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        amount = Decimal(inputs["amount"])
        loan = lend(uow, ctx.policy.id, open_loan(uow, ctx.policy.id), amount, ctx.cover.spec.loan_interest, ctx.today)
        record_payout(uow, ctx, amount, inputs["bank_account"], reference)
        return {"lent": str(amount), "loan_balance": str(loan.balance), "rate": str(loan.interest_rate)}
