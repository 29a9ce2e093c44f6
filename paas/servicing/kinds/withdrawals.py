"""Taking out money the insurer holds for the policy (18505): accumulated dividends and
survival benefits left to grow. Paid to a bank account of the customer's."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paas.errors import N_
from paas.policies.ledger import entry
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import HELD_NOW, NOTHING_HELD, amount_text, amount_within
from paas.servicing.payout import check_payout_account, record_payout


@dataclass(frozen=True)
class HeldMoneyWithdrawal(Transaction):
    account: str = "dividends"  # the policy ledger account withdrawn from
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"money"}))
    fields: tuple[Field, ...] = (
        Field("amount", N_("Amount (yuan)"), kind="money"),
        Field("bank_account", N_("Pay into"), kind="bank_account"),
    )
    step_up: str = SMS
    pays_out: bool = True

    def held(self, ctx: PolicyContext) -> Decimal:
        v = ctx.valuation
        return v.dividends_held if self.account == "dividends" else v.survival_benefits_held

    def eligibility(self, ctx: PolicyContext) -> str | None:
        return NOTHING_HELD if self.held(ctx) <= 0 else None

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        # The live balance, read under the lock: another withdrawal may have just committed.
        available = ctx.held(uow, self.account)
        checks = FieldChecks()
        amount = checks(amount_within, raw, available)
        bank = checks(check_payout_account, uow, ctx, raw.get("bank_account"))
        checks.done()
        return {"amount": str(amount), "bank_account": bank}

    def field_guide(self, ctx: PolicyContext) -> dict[str, tuple[str, dict]]:
        return {"amount": (HELD_NOW, {"amount": amount_text(self.held(ctx))})}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        held, amount = self.held(ctx), Decimal(inputs["amount"])
        return [PreviewLine(N_("Held for you"), held, held - amount, kind="money"),
                PreviewLine(N_("Paid to you"), None, amount, kind="money")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        amount = Decimal(inputs["amount"])
        # The ledger's debit and the payout it pays, posted together (one round trip on PostgreSQL).
        record_payout(uow, ctx, amount, inputs["bank_account"], reference,
                      entry=entry(uow, ctx.policy.id, self.account, "withdrawal", -amount, ctx.today,
                                  reference=f"servicing:{reference}"))
        return {"withdrawn": inputs["amount"], "account": self.account}


def dividend_withdrawal() -> HeldMoneyWithdrawal:
    return HeldMoneyWithdrawal(
        kind="dividend_withdrawal", label=N_("Withdraw accumulated dividends"),
        description=N_("Take out dividends left with us to grow at interest."), account="dividends",
    )


def survival_benefit_withdrawal() -> HeldMoneyWithdrawal:
    return HeldMoneyWithdrawal(
        kind="survival_benefit_withdrawal", label=N_("Withdraw survival benefits"),
        description=N_("Take out survival benefits left with us to grow at interest."), account="survival_benefits",
    )
