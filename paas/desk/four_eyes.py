"""Four eyes: whoever keyed a case does not also decide it, and a second approval comes from
another person of a higher level whose own limit covers the amount."""
from __future__ import annotations

from decimal import Decimal

from paas.desk.authority import limit_of
from paas.errors import N_, NotPermitted
from paas.security.principal import Principal

OWN_SUBMISSION = N_("You submitted this request; another colleague must decide it.")
SECOND_APPROVER = N_("A second approval must come from another colleague with a higher authority level.")
ABOVE_SECOND = N_("This amount is above your authority too; it needs a higher approver.")


def check_not_submitter(staff: Principal, submitted_by: int | None, message: str = OWN_SUBMISSION) -> None:
    if submitted_by is not None and submitted_by == staff.account_id:
        raise NotPermitted(message)


def may_second(staff: Principal, desk: str, first_approver_id: int, first_level: int, amount: Decimal) -> bool:
    return (staff.account_id != first_approver_id and staff.authority_level > first_level
            and amount <= limit_of(staff, desk))


def check_second(staff: Principal, desk: str, first_approver_id: int, first_level: int, amount: Decimal) -> None:
    if staff.account_id == first_approver_id or staff.authority_level <= first_level:
        raise NotPermitted(SECOND_APPROVER)
    if amount > limit_of(staff, desk):
        raise NotPermitted(ABOVE_SECOND)
