"""Reasons and checks several transactions share."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from paas.audit.chain import Actor
from paas.errors import N_, InvalidInput, NotPermitted
from paas.money import parse_amount, to_fen
from paas.policies.deadlines import reinstatable_until
from paas.policies.terms import FREE_LOOK_DAYS, GRACE, IN_FORCE, LAPSED, PAID_UP
from paas.servicing.base import PolicyContext

NOT_IN_FORCE = N_("The policy is not in force (it is %(status)s).")
CLAIM_OPEN = N_("A claim on this policy is being handled; this change waits until it is decided.")
NOTHING_HELD = N_("There is nothing to withdraw.")
OVER_MAXIMUM = N_("The most you can take now is %(maximum)s yuan.")
LAPSED_NOW = N_("The policy has lapsed. Reinstate it first.")
LAPSED_FOR_GOOD = N_("The policy has lapsed and the time to reinstate it has passed: it can no longer be reinstated "
                     "or changed.")
IN_GRACE = N_("A premium is overdue. Pay it first, then try again.")
PAID_UP_NOW = N_("The policy is paid up: no premiums are paid and this change is not available.")
ENDED = N_("This policy has ended (matured, surrendered, cancelled or claimed); it cannot be changed.")
LOAN_OUTSTANDING = N_("Repay the policy loan first.")
HELD_NOW = N_("Held for you now: %(amount)s yuan. You can take up to all of it.")
BORROW_NOW = N_("You can borrow up to %(amount)s yuan now.")
SURRENDER_NOW = N_("Surrendering today pays %(amount)s yuan: the cash value less any loan, plus money held for you.")

# Changes that end the policy or its premiums conflict with anything touching money or cover.
ENDING_GROUPS = frozenset({"money", "cover", "funds", "billing", "dividends"})

# Who the platform's own bookings (a refund, a premium credited on reinstatement) are written
# by in the audit log; the request's "servicing.applied" entry names the person.
SERVICING = Actor("system", None, "servicing")


def in_force_reason(ctx: PolicyContext, *, allow_paid_up: bool = True, allow_grace: bool = True) -> str | None:
    allowed = {IN_FORCE} | ({PAID_UP} if allow_paid_up else set()) | ({GRACE} if allow_grace else set())
    if ctx.open_claim:
        return CLAIM_OPEN
    return None if ctx.policy.status in allowed else NOT_IN_FORCE


def standing_reason(ctx: PolicyContext, allowed: frozenset[str] = frozenset({IN_FORCE, PAID_UP})) -> str | None:
    """Why a policy in its present state cannot take this change, each state its own reason."""
    status = ctx.policy.status
    if ctx.open_claim:
        return CLAIM_OPEN
    if status in allowed:
        return None
    if status == LAPSED and ctx.today > reinstatement_window_end(ctx):
        return LAPSED_FOR_GOOD  # "reinstate it first" would send them to a door that is shut
    return {LAPSED: LAPSED_NOW, GRACE: IN_GRACE, PAID_UP: PAID_UP_NOW}.get(status, ENDED)


def reinstatement_window_end(ctx: PolicyContext) -> date:
    """The last day this lapsed policy can be reinstated."""
    return reinstatable_until(ctx.policy.status_date)


def require_eligible(txn, ctx: PolicyContext) -> None:
    """Eligibility again, inside ``check``: a request confirmed minutes later may find the
    policy surrendered or lapsed meanwhile, and the engine re-runs only ``check`` then."""
    reason = txn.eligibility(ctx)
    if reason is not None:
        raise NotPermitted(reason, **txn.reason_params(ctx))


def free_look_end(ctx: PolicyContext) -> date:
    return ctx.policy.issue_date + timedelta(days=FREE_LOOK_DAYS)


def status_params(ctx: PolicyContext) -> dict:
    return {"status": ctx.policy.status}


def amount_text(amount: Decimal) -> str:
    """An amount as the guides and messages quote it: grouped, two decimals."""
    return f"{amount:,.2f}"


def amount_within(raw: dict[str, Any], maximum: Decimal, *, field: str = "amount", message: str = OVER_MAXIMUM) -> Decimal:
    """A typed amount: positive, two decimals at most, not above ``maximum``; to the fen."""
    amount = to_fen(parse_amount(str(raw.get(field, "")), field=field))
    if amount > maximum:
        raise InvalidInput(message, field=field, maximum=f"{maximum:,.2f}")
    return amount
