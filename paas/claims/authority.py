"""Authority limits (权限分级): how much a claims adjuster of each level may approve alone."""
from __future__ import annotations

from decimal import Decimal

from paas.security.principal import Principal
from paas.security.roles import ADJUSTER, SUPERVISOR

# Level → the largest claim an approver of that level may approve.
LIMITS = {1: Decimal("50000"), 2: Decimal("500000"), 3: Decimal("5000000")}
CLAIM_ROLES = (ADJUSTER, SUPERVISOR)
# A payout of this much or more goes only once its approver has seen the amount and the payee
# once more and confirmed them: one slip of a click must not pay half a million.
CONFIRM_PAYOUT_FROM = Decimal("50000")


def limit_of(staff: Principal) -> Decimal:
    return LIMITS.get(staff.authority_level, Decimal(0)) if staff.role in CLAIM_ROLES else Decimal(0)
