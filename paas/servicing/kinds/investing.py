"""What the unit-linked transactions share: which policies have funds, the funds a policy
may use, and its positions as they stand (units held, less what pending sells will take)."""
from __future__ import annotations

from typing import Any

from paas.errors import N_, InvalidInput
from paas.funds.orders import FreePosition, free_positions, pending_orders
from paas.funds.positions import fund_positions
from paas.policies.terms import IN_FORCE
from paas.servicing.base import PolicyContext
from paas.servicing.kinds.common import standing_reason

NO_FUNDS = N_("This policy has no investment funds.")
ORDERS_PENDING = N_("A fund order of this policy waits for the unit price of %(date)s. Please try again once it is done.")
CHOOSE_FUND = N_("Choose one of the policy's funds.")


def unit_linked_reason(ctx: PolicyContext, allowed: frozenset[str] = frozenset({IN_FORCE})) -> str | None:
    if ctx.cover.spec.unit_linked is None:
        return NO_FUNDS
    return standing_reason(ctx, allowed)


def free_funds(uow, ctx: PolicyContext) -> dict[str, FreePosition]:
    """Read now, under the policy's lock: every committed trade and order is counted."""
    positions = fund_positions(uow, ctx.policy.id, ctx.cover.spec, ctx.today)
    return free_positions(positions, pending_orders(uow, ctx.policy.id))


def refuse_while_orders_pending(uow, ctx: PolicyContext) -> None:
    """Ending the policy values its funds now; an order still waiting for its price would
    leave units (or money) behind."""
    pending = pending_orders(uow, ctx.policy.id)
    if pending:
        raise InvalidInput(ORDERS_PENDING, date=min(order.trade_date for order in pending).isoformat())


def fund_code(ctx: PolicyContext, raw: dict[str, Any], name: str) -> str:
    code = str(raw.get(name) or "")
    if code not in {fund.code for fund in ctx.cover.spec.unit_linked.funds}:
        raise InvalidInput(CHOOSE_FUND, field=name)
    return code
