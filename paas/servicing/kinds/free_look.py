"""Free-look cancellation (18510, 犹豫期退保): within 15 days of issue the policy is cancelled
as if never bought and every premium paid is refunded in full - through the payment port
for premiums paid online (to the card they came from), into the customer's bank account
for premiums collected otherwise. Any fund units go back to the insurer with the cover."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from paas.billing.models import PaymentOrder
from paas.billing.orders import PAID_STATUSES
from paas.billing.refunds import refund
from paas.errors import N_
from paas.funds.models import FundHolding
from paas.policies.models import PremiumPayment
from paas.policies.terms import CANCELLED, GRACE, IN_FORCE, STATUS_LABELS
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.servicing.kinds.common import (
    ENDING_GROUPS, LOAN_OUTSTANDING, SERVICING, free_look_end, require_eligible, standing_reason,
)
from paas.servicing.kinds.investing import refuse_while_orders_pending
from paas.servicing.payout import check_payout_account, record_payout

FREE_LOOK_PASSED = N_("The free-look period ended on %(date)s; you can still surrender the policy.")


def premiums_paid(uow, policy_id: int) -> tuple[dict[str, Decimal], Decimal]:
    """What the customer paid: per online payment (refunded through the port), and the rest."""
    rows = uow.session.execute(select(PremiumPayment.reference, PremiumPayment.amount).where(
        PremiumPayment.policy_id == policy_id, PremiumPayment.kind == "payment")).all()
    references = {reference for reference, _ in rows if reference}
    online_orders = set(uow.session.scalars(select(PaymentOrder.reference).where(
        PaymentOrder.reference.in_(references), PaymentOrder.status.in_(PAID_STATUSES)))) if references else set()
    online, other = defaultdict(Decimal), Decimal("0.00")
    for reference, amount in rows:
        if reference in online_orders:
            online[reference] += amount
        else:
            other += amount
    return dict(online), other


@dataclass(frozen=True)
class FreeLookCancellation(Transaction):
    kind: str = "free_look_cancellation"
    label: str = N_("Cancel in the free-look period")
    description: str = N_("Within 15 days of issue: cancel the policy and get every premium back.")
    groups: frozenset[str] = field(default_factory=lambda: ENDING_GROUPS)
    fields: tuple[Field, ...] = (
        Field("bank_account", N_("Refund premiums not paid online into"), kind="bank_account", required=False),
    )
    step_up: str = SMS
    pays_out: bool = True

    def eligibility(self, ctx: PolicyContext) -> str | None:
        reason = standing_reason(ctx, frozenset({IN_FORCE, GRACE}))
        if reason is None and ctx.today > free_look_end(ctx):
            return FREE_LOOK_PASSED
        return reason or (LOAN_OUTSTANDING if ctx.valuation.debt > 0 else None)

    def reason_params(self, ctx: PolicyContext) -> dict:
        return {"date": free_look_end(ctx).isoformat()}

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        refuse_while_orders_pending(uow, ctx)
        online, other = premiums_paid(uow, ctx.policy.id)
        bank = check_payout_account(uow, ctx, raw.get("bank_account")) if other > 0 else None
        return {"online": {ref: str(amount) for ref, amount in sorted(online.items())}, "other": str(other),
                "total": str(other + sum(online.values(), Decimal("0.00"))), "bank_account": bank}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        online = sum((Decimal(a) for a in inputs["online"].values()), Decimal("0.00"))
        return [PreviewLine(N_("Premiums refunded"), None, Decimal(inputs["total"]), kind="money"),
                PreviewLine(N_("Back to the card you paid with"), None, online, kind="money"),
                PreviewLine(N_("Into your bank account"), None, Decimal(inputs["other"]), kind="money"),
                PreviewLine(N_("Status"), STATUS_LABELS[ctx.policy.status], STATUS_LABELS[CANCELLED], kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        for order_reference, amount in inputs["online"].items():
            # Sent to the provider after the commit, under an idempotency key of its own.
            refund(uow, order_reference, Decimal(amount), reason="free_look", actor=SERVICING)
        if Decimal(inputs["other"]) > 0:
            record_payout(uow, ctx, Decimal(inputs["other"]), inputs["bank_account"], reference)
        uow.session.execute(update(FundHolding).where(FundHolding.policy_id == ctx.policy.id).values(units=0))
        ctx.policy.status, ctx.policy.status_date = CANCELLED, ctx.today
        return {"refunded": inputs["total"], "online": inputs["online"], "other": inputs["other"], "status": CANCELLED}
