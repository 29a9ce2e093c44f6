"""Loan repayment (18502), in part or in full, interest first: by direct debit from one of
the customer's bank accounts, or from money the insurer holds for the policy (accumulated
dividends or survival benefits). Repaying everything closes the loan."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paas.errors import N_
from paas.loans.lending import repay
from paas.policies.ledger import credit
from paas.policies.terms import GRACE, IN_FORCE, PAID_UP
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.servicing.collection import check_debit_account, record_collection
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import amount_within, require_eligible, standing_reason
from paas.servicing.kinds.policy_loan import open_loan

BANK_DEBIT = "bank_debit"
SOURCES = ((BANK_DEBIT, N_("Direct debit from my bank account")),
           ("dividends", N_("Accumulated dividends held for the policy")),
           ("survival_benefits", N_("Survival benefits held for the policy")))
NO_LOAN = N_("There is no policy loan to repay.")
OVER_DEBT = N_("You owe %(maximum)s yuan; you cannot repay more than that.")
OVER_HELD = N_("The money held for the policy is %(maximum)s yuan; choose a smaller amount or pay by direct debit.")
NOTHING_HELD_THERE = N_("No money is held for the policy there. Choose another way to pay.")


def _yes(raw: dict[str, Any], name: str) -> bool:
    return str(raw.get(name, "")).lower() in ("1", "true", "on", "yes")


@dataclass(frozen=True)
class LoanRepayment(Transaction):
    kind: str = "loan_repayment"
    label: str = N_("Repay policy loan")
    description: str = N_("Repay part or all of the policy loan; interest is paid off first.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"money"}))
    fields: tuple[Field, ...] = (
        Field("amount", N_("Amount (yuan)"), kind="money", required=False),
        Field("full", N_("Repay the whole loan"), kind="bool", required=False),
        Field("source", N_("Pay from"), kind="choice", choices=SOURCES),
        Field("bank_account", N_("Debit this account"), kind="bank_account", required=False),
    )
    step_up: str = SMS  # the code is the customer's authority for the debit

    def eligibility(self, ctx: PolicyContext) -> str | None:
        reason = standing_reason(ctx, frozenset({IN_FORCE, GRACE, PAID_UP}))
        return reason or (NO_LOAN if ctx.valuation.debt <= 0 else None)

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        checks, debt, source = FieldChecks(), ctx.valuation.debt, str(raw.get("source") or BANK_DEBIT)
        bank, maximum, message = None, debt, OVER_DEBT
        if source not in dict(SOURCES):
            checks.refuse(N_("Choose how to pay."), "source")
        elif source == BANK_DEBIT:
            bank = checks(check_debit_account, uow, ctx, raw.get("bank_account"))
        else:
            held = ctx.held(uow, source)  # live: a withdrawal may have just taken some
            if held <= 0:
                checks.refuse(NOTHING_HELD_THERE, "source")
            elif held < debt:
                maximum, message = held, OVER_HELD
        # "The whole loan" is the debt as it stands when applied: interest keeps accruing.
        amount = checks(amount_within, {"amount": str(debt)} if _yes(raw, "full") else raw, maximum, message=message)
        checks.done()
        return {"amount": str(amount), "source": source, "bank_account": bank}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        debt, amount = ctx.valuation.debt, Decimal(inputs["amount"])
        source = dict(SOURCES)[inputs["source"]]
        return [PreviewLine(N_("Loan with interest to date"), debt, debt - amount, kind="money"),
                PreviewLine(N_("You pay"), None, amount, kind="money"),
                PreviewLine(N_("Pay from"), None, source, kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        amount, loan = Decimal(inputs["amount"]), open_loan(uow, ctx.policy.id)
        interest = repay(loan, ctx.today, amount).interest  # interest is paid off first
        if inputs["source"] == BANK_DEBIT:
            record_collection(uow, ctx, amount, inputs["bank_account"], reference, "loan_repayment")
        else:
            credit(uow, ctx.policy.id, inputs["source"], "loan_repayment", -amount, ctx.today,
                   reference=f"servicing:{reference}")
        return {"repaid": str(amount), "interest": str(interest), "principal": str(amount - interest),
                "loan_balance": str(loan.balance), "closed": loan.status == "repaid", "source": inputs["source"]}
