"""Reinstatement (18509, 复效) within two years of the lapse: the premiums missed, each with
simple interest from its due date at the product's rate, plus the loan if the customer
chooses to repay it (values.reinstatement_amount), collected by direct debit. A health
declaration comes with it: the underwriting rules (any "yes", rule REINSTATEMENT_HEALTH)
send the request to an underwriter; otherwise it applies at once."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paas.billing.reinstatement import credit_reinstatement, missed_dues
from paas.errors import N_
from paas.loans.lending import repay
from paas.policies.terms import COVER_STATUSES, GRACE, IN_FORCE, LAPSED, STATUS_LABELS
from paas.products.values import reinstatement_amount
from paas.servicing.base import SMS, UNDERWRITER, Field, PolicyContext, PreviewLine, Transaction
from paas.servicing.collection import check_debit_account, record_collection
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import (CLAIM_OPEN, ENDED, ENDING_GROUPS, SERVICING, reinstatement_window_end,
                                        require_eligible)
from paas.servicing.kinds.policy_loan import open_loan
from paas.underwriting.evaluator import reinstatement_refers

YES, NO = "yes", "no"
YES_NO = ((NO, N_("No")), (YES, N_("Yes")))
QUESTIONS = (
    ("health_conditions", N_("Since the policy lapsed, have you been diagnosed with or treated for cancer, heart "
                             "disease, stroke, diabetes, or liver or kidney disease?")),
    ("health_hospital", N_("Are you in hospital now, or have you been advised to have an operation or further tests?")),
    ("health_symptoms", N_("In the last six months, have you had symptoms you have not yet seen a doctor about?")),
)
PAY_INSTEAD = N_("The policy is in its grace period and still covered: paying the overdue premium is all it takes, "
                 "no reinstatement is needed.")
NOT_LAPSED = N_("Only a lapsed policy can be reinstated; this one is still in force.")
WINDOW_PASSED = N_("The time to reinstate this policy ended on %(date)s.")
ANSWER_EACH = N_("Answer each health question with yes or no.")


window_end = reinstatement_window_end


@dataclass(frozen=True)
class Reinstatement(Transaction):
    kind: str = "reinstatement"
    label: str = N_("Reinstate the policy")
    description: str = N_("Bring a lapsed policy back in force: pay the missed premiums with interest and declare "
                          "your health.")
    groups: frozenset[str] = field(default_factory=lambda: ENDING_GROUPS)
    fields: tuple[Field, ...] = (
        Field("bank_account", N_("Debit this account"), kind="bank_account"),
        Field("repay_loan", N_("Also repay the policy loan"), kind="choice", choices=YES_NO, required=False),
        *(Field(name, question, kind="choice", choices=YES_NO) for name, question in QUESTIONS),
    )
    step_up: str = SMS

    def eligibility(self, ctx: PolicyContext) -> str | None:
        status = ctx.policy.status
        if ctx.open_claim:
            return CLAIM_OPEN
        if status == GRACE:
            return PAY_INSTEAD
        if status != LAPSED:
            return NOT_LAPSED if status in COVER_STATUSES else ENDED
        return WINDOW_PASSED if ctx.today > window_end(ctx) else None

    def reason_params(self, ctx: PolicyContext) -> dict:
        return {"date": window_end(ctx).isoformat()}

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        checks = FieldChecks()
        answers = {name: str(raw.get(name) or "") for name, _ in QUESTIONS}
        for name, answer in answers.items():
            if answer not in (YES, NO):
                checks.refuse(ANSWER_EACH, name)
        if str(raw.get("repay_loan") or NO) not in (YES, NO):
            checks.refuse(N_("Choose whether to repay the loan."), "repay_loan")
        bank = checks(check_debit_account, uow, ctx, raw.get("bank_account"))
        checks.done()
        p = ctx.policy
        debt = ctx.valuation.debt if raw.get("repay_loan") == YES else Decimal("0.00")
        amount = reinstatement_amount(p.modal_premium, p.premium_mode, p.issue_date, p.paid_to_date, ctx.today,
                                      ctx.cover.spec.reinstatement_interest, p.premium_end_date, debt)
        arrears = p.modal_premium * len(missed_dues(p, ctx.today))
        return {"amount": str(amount), "arrears": str(arrears), "interest": str(amount - arrears - debt),
                "loan_repaid": str(debt), "answers": answers, "refer": reinstatement_refers(answers) is not None,
                "bank_account": bank}

    def route(self, ctx: PolicyContext, inputs: dict) -> str | None:
        return UNDERWRITER if inputs["refer"] else None

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("Premiums missed"), None, Decimal(inputs["arrears"]), kind="money"),
                PreviewLine(N_("Interest on them"), None, Decimal(inputs["interest"]), kind="money"),
                PreviewLine(N_("Loan repaid"), None, Decimal(inputs["loan_repaid"]), kind="money"),
                PreviewLine(N_("Collected from your bank account"), None, Decimal(inputs["amount"]), kind="money"),
                PreviewLine(N_("Status"), STATUS_LABELS[LAPSED], STATUS_LABELS[IN_FORCE], kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        record_collection(uow, ctx, Decimal(inputs["amount"]), inputs["bank_account"], reference, "reinstatement")
        if Decimal(inputs["loan_repaid"]) > 0:
            repay(open_loan(uow, ctx.policy.id), ctx.today)
        dues = credit_reinstatement(uow, ctx.policy, channel="bank_debit", reference=f"servicing:{reference}",
                                    actor=SERVICING)
        return {"collected": inputs["amount"], "dues": [due.isoformat() for due in dues], "interest": inputs["interest"],
                "loan_repaid": inputs["loan_repaid"], "paid_to": ctx.policy.paid_to_date.isoformat(), "status": IN_FORCE}
