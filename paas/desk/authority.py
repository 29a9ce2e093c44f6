"""Authority limits (权限分级): for each desk, how large a case a decider of each level may
decide alone. Above it a second, higher decider must agree (``four_eyes``)."""
from __future__ import annotations

from decimal import Decimal

from paas.desk.teams import CLAIMS, UNDERWRITERS, works
from paas.security.principal import Principal

# Desk → level → the largest amount (claim paid; sum assured accepted) a decider of that level decides alone.
LIMITS: dict[str, dict[int, Decimal]] = {
    CLAIMS: {1: Decimal("50000"), 2: Decimal("500000"), 3: Decimal("5000000")},
    UNDERWRITERS: {1: Decimal("1000000"), 2: Decimal("3000000"), 3: Decimal("10000000")},
}


def limit_of(staff: Principal, desk: str) -> Decimal:
    return LIMITS[desk].get(staff.authority_level, Decimal(0)) if works(staff, desk) else Decimal(0)


def within_limit(staff: Principal, desk: str, amount: Decimal) -> bool:
    return amount <= limit_of(staff, desk)


def second_level(desk: str, first_level: int, amount: Decimal) -> int | None:
    """The lowest level above the first decider's whose limit covers the amount; None if no
    level's does (then nobody can agree to it as it stands)."""
    limits = LIMITS[desk]
    return next((level for level in sorted(limits) if level > first_level and limits[level] >= amount), None)
