"""The security settings the services enforce; values come from configuration."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal


@dataclass(frozen=True)
class SecurityPolicy:
    idle_timeout: timedelta = timedelta(minutes=15)
    session_lifetime: timedelta = timedelta(hours=12)
    login_limit_per_account: str = "5 per 15 minutes"
    login_limit_per_address: str = "30 per 15 minutes"
    # Opening online service and the codes it sends (paas.security.enrolment, .codes): a
    # guess at someone's details is limited per ID number and per address, codes per number.
    enrol_limit_per_id: str = "5 per hour"
    enrol_limit_per_address: str = "20 per hour"
    code_limit_per_mobile: str = "5 per hour"
    code_limit_per_address: str = "20 per hour"
    argon2_time_cost: int = 3
    argon2_memory_cost_kib: int = 65536
    argon2_parallelism: int = 2
    reveal_reason_min_length: int = 10
    # A surrender paying out more than this (yuan) waits for a servicing clerk's approval.
    surrender_review_above: Decimal = Decimal("200000")
    # Money paid to a bank account added less than this ago (and never verified) waits.
    new_payee_hold: timedelta = timedelta(hours=72)
