"""Fund switch (102): move a percentage, or a number of units, of one fund into another.
The units are sold and the proceeds bought into the other fund at the same next unit
price date; nothing is paid in or out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from paas.errors import N_, InvalidInput
from paas.funds.orders import UNIT, next_trade_date, place_switch
from paas.money import to_fen
from paas.policies.terms import GRACE, IN_FORCE
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import require_eligible
from paas.servicing.kinds.investing import free_funds, fund_code, unit_linked_reason

_PERCENT = re.compile(r"^\d{1,3}$")
_UNITS = re.compile(r"^\d{1,12}(\.\d{1,6})?$")
SAME_FUND = N_("Choose two different funds.")
NOTHING_IN_FUND = N_("The policy holds no units of that fund to switch.")
PERCENT_OR_UNITS = N_("Give either a percentage or a number of units, not both.")
BAD_PERCENT = N_("Give a whole percentage from 1 to 100.")
BAD_UNITS = N_("Give a number of units above zero, with at most six decimals, up to %(units)s.")


@dataclass(frozen=True)
class FundSwitch(Transaction):
    kind: str = "fund_switch"
    label: str = N_("Switch funds")
    description: str = N_("Move part or all of one fund into another at the next unit price.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"funds"}))
    fields: tuple[Field, ...] = (
        Field("from_fund", N_("From fund"), kind="fund"),
        Field("to_fund", N_("Into fund"), kind="fund"),
        Field("percent", N_("Percentage of the units"), kind="percent", required=False),
        Field("units", N_("Or a number of units"), kind="units", required=False),
    )
    step_up: str = SMS

    def eligibility(self, ctx: PolicyContext) -> str | None:
        return unit_linked_reason(ctx, frozenset({IN_FORCE, GRACE}))

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        checks = FieldChecks()
        source, target = checks(fund_code, ctx, raw, "from_fund"), checks(fund_code, ctx, raw, "to_fund")
        if source is not None and source == target:
            checks.refuse(SAME_FUND, "to_fund")
        position = free_funds(uow, ctx)[source] if source is not None else None  # live, less units being sold
        if position is not None and position.units <= 0:
            checks.refuse(NOTHING_IN_FUND, "from_fund")
            position = None
        # Without a fund to take from, only the amount's form can be checked, not its size.
        units = checks(_units_asked, raw, position.units if position is not None else None)
        checks.done()
        return {"from_fund": source, "to_fund": target, "units": str(units),
                "value": str(to_fen(units * (position.price or 0))), "trade_date": next_trade_date(ctx.today).isoformat()}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("From fund"), None, inputs["from_fund"]),
                PreviewLine(N_("Units sold"), None, inputs["units"]),
                PreviewLine(N_("Worth at the latest unit price"), None, Decimal(inputs["value"]), kind="money"),
                PreviewLine(N_("Into fund"), None, inputs["to_fund"]),
                PreviewLine(N_("Switched at the unit price of"), None, inputs["trade_date"], kind="date")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        place_switch(uow, ctx.policy.id, reference, inputs["from_fund"], Decimal(inputs["units"]), inputs["to_fund"],
                     date.fromisoformat(inputs["trade_date"]))
        return {k: inputs[k] for k in ("from_fund", "to_fund", "units", "trade_date")}


def _units_asked(raw: dict[str, Any], free: Decimal | None) -> Decimal | None:
    percent, units = str(raw.get("percent") or "").strip(), str(raw.get("units") or "").strip()
    if bool(percent) == bool(units):
        raise InvalidInput(PERCENT_OR_UNITS, field="percent")
    if percent:
        if not _PERCENT.match(percent) or not 1 <= int(percent) <= 100:
            raise InvalidInput(BAD_PERCENT, field="percent")
        if free is None:
            return None
        units = free if int(percent) == 100 else (free * int(percent) / 100).quantize(UNIT, rounding=ROUND_DOWN)
        if units <= 0:  # a sliver of a unit rounds to nothing
            raise InvalidInput(BAD_PERCENT, field="percent")
        return units
    if free is None:
        return None
    if not _UNITS.match(units) or not 0 < Decimal(units) <= free:
        raise InvalidInput(BAD_UNITS, field="units", units=f"{free:f}")
    return Decimal(units)
