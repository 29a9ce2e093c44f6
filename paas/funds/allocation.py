"""How a unit-linked policy's new money is split between its funds: the future premium
allocation the policyholder chose (policies.fund_allocation, whole percentages adding up
to 100), or else the split of what the policy holds now."""
from __future__ import annotations

import json
from decimal import Decimal

from paas.funds.positions import FundPosition


def chosen_allocation(text: str | None) -> dict[str, int]:
    """The stored choice as {fund code: percent}; empty when none was made."""
    if not text:
        return {}
    return {str(code): int(percent) for code, percent in json.loads(text).items() if int(percent) > 0}


def stored_allocation(percents: dict[str, int]) -> str:
    return json.dumps({code: percents[code] for code in sorted(percents) if percents[code] > 0})


def allocation_weights(fund_allocation: str | None, positions: tuple[FundPosition, ...]) -> dict[str, Decimal]:
    offered = [p.fund_code for p in positions]
    chosen = {code: Decimal(pct) for code, pct in chosen_allocation(fund_allocation).items() if code in offered}
    if chosen:
        return chosen
    held = {p.fund_code: p.value for p in positions if p.value > 0}
    # Nothing chosen and nothing held: the product's first (lowest-risk) fund.
    return held or {offered[0]: Decimal(1)}
