"""The limits on opening online service and on sending account codes: each attempt is
counted (before it is checked) per address and per ID number or mobile, across processes,
through the same rate limiter as sign-in (iaas.ratelimit)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from paas.errors import N_, TooManyAttempts

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

TOO_MANY = N_("Too many attempts. For your security, please wait a while and try again, or call 95500.")


def reserve(uow: "UnitOfWork", *counted: tuple[str, str, str]) -> None:
    """Count one attempt on each (limit, name, key); refuse when any is used up (those already
    counted for this attempt are given back: it was never checked)."""
    limiter = uow.platform.rate_limiter
    done: list[tuple[str, str, str]] = []
    for limit, name, key in counted:
        if limiter.reserve(limit, name, key) is None:
            for earlier in done:
                limiter.refund(*earlier)
            raise TooManyAttempts(TOO_MANY, retry_after=limiter.retry_after(limit, name, key))
        done.append((limit, name, key))


def for_enrolment(uow: "UnitOfWork", id_key: str, address: str) -> None:
    policy = uow.platform.security
    reserve(uow, (policy.enrol_limit_per_address, "enrol-address", address),
            (policy.enrol_limit_per_id, "enrol-id", id_key))


def for_code(uow: "UnitOfWork", mobile_or_email: str, address: str) -> None:
    policy = uow.platform.security
    reserve(uow, (policy.code_limit_per_address, "code-address", address),
            (policy.code_limit_per_mobile, "code-recipient", mobile_or_email))
