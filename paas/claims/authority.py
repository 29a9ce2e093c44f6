"""Authority limits (权限分级) for claims: the shared desk's (paas.desk.authority) claims table."""
from __future__ import annotations

from decimal import Decimal

from paas.desk import authority
from paas.desk.teams import CLAIMS, TEAMS
from paas.security.principal import Principal

LIMITS = authority.LIMITS[CLAIMS]
CLAIM_ROLES = TEAMS[CLAIMS]
# A payout of this much or more goes only once its approver has seen the amount and the payee
# once more and confirmed them: one slip of a click must not pay half a million.
CONFIRM_PAYOUT_FROM = Decimal("50000")


def limit_of(staff: Principal) -> Decimal:
    return authority.limit_of(staff, CLAIMS)
