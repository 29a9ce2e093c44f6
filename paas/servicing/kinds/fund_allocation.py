"""Future premium allocation (101): how each coming premium is split between the policy's
funds, in whole percentages adding up to 100. Units already held stay where they are."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from paas.errors import N_, InvalidInput
from paas.funds.allocation import chosen_allocation, stored_allocation
from paas.policies.terms import GRACE, IN_FORCE, PREMIUM_STATUSES, SINGLE
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import require_eligible
from paas.servicing.kinds.investing import unit_linked_reason
from paas.servicing.kinds.preferences import NO_PREMIUMS_LEFT

_PERCENT = re.compile(r"^\d{1,3}$")
GIVE_PERCENTS = N_("Give each fund a whole percentage from 0 to 100.")
NOT_A_FUND = N_("%(fund)s is not one of the policy's funds.")
TOTAL_NOT_100 = N_("The percentages add up to %(total)s%%; they must add up to exactly 100%%.")
UNCHANGED = N_("That is already how your premiums are invested.")


@dataclass(frozen=True)
class FundAllocationChange(Transaction):
    kind: str = "fund_allocation"
    label: str = N_("Change how future premiums are invested")
    description: str = N_("Split each coming premium between the funds, in whole percentages adding up to 100.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"funds"}))
    # {fund code: percent}; the form shows one percentage per fund of the policy.
    fields: tuple[Field, ...] = (Field("allocation", N_("Share of each premium"), kind="fund_allocation"),)
    step_up: str = SMS

    def eligibility(self, ctx: PolicyContext) -> str | None:
        reason = unit_linked_reason(ctx, frozenset({IN_FORCE, GRACE}))
        if reason is None and (ctx.policy.status not in PREMIUM_STATUSES or ctx.facts.premium_mode == SINGLE
                               or (ctx.policy.premium_end_date and ctx.policy.paid_to_date >= ctx.policy.premium_end_date)):
            return NO_PREMIUMS_LEFT
        return reason

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        given = raw.get("allocation")
        if not isinstance(given, dict) or not given:
            raise InvalidInput(GIVE_PERCENTS, field="allocation")
        offered = {fund.code for fund in ctx.cover.spec.unit_linked.funds}
        checks, percents = FieldChecks(), {}
        for code, text in given.items():  # every fund at fault is named at once
            percent = checks(_percent, code, text, offered)
            if percent is not None:
                percents[code] = percent
        checks.done()
        total = sum(percents.values())
        if total != 100:
            raise InvalidInput(TOTAL_NOT_100, field="allocation", total=total)
        chosen = {code: pct for code, pct in sorted(percents.items()) if pct > 0}
        if chosen == chosen_allocation(ctx.policy.fund_allocation):
            raise InvalidInput(UNCHANGED, field="allocation")
        return {"allocation": chosen}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        before = chosen_allocation(ctx.policy.fund_allocation)
        return [PreviewLine(fund.code, before.get(fund.code), inputs["allocation"].get(fund.code, 0), kind="percent")
                for fund in ctx.cover.spec.unit_linked.funds]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.policy.fund_allocation = stored_allocation(inputs["allocation"])
        return {"allocation": inputs["allocation"]}


def _percent(code: Any, text: Any, offered: set[str]) -> int:
    if code not in offered:
        raise InvalidInput(NOT_A_FUND, field="allocation", fund=str(code)[:8])
    text = str(text).strip() or "0"
    if not _PERCENT.match(text) or int(text) > 100:
        raise InvalidInput(GIVE_PERCENTS, field="allocation")
    return int(text)
