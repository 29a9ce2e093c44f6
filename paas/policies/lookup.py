"""Finding one of a customer's own policies by the digits they remember: the whole number
(P000000123), or its last digits when only one of their policies ends so.
Used where typing the whole number is a burden (an SMS reply)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.errors import N_, InvalidInput, NotFound
from paas.policies.models import Policy

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NAME_A_POLICY = N_("Say which policy: its number or its last digits.")
NO_SUCH_POLICY = N_("None of your policies ends in %(digits)s.")
SEVERAL_POLICIES = N_("Several of your policies end in %(digits)s: give more digits.")


def own_policy_numbers(uow: "UnitOfWork", customer_id: int) -> list[str]:
    return list(uow.session.scalars(select(Policy.policy_number).where(Policy.owner_id == customer_id)
                                    .order_by(Policy.issue_date.desc(), Policy.id.desc())))


def policy_by_digits(uow: "UnitOfWork", customer_id: int, typed: str | None) -> str:
    """The policy number meant by ``typed``; with nothing typed, the customer's only policy."""
    return pick_by_digits(own_policy_numbers(uow, customer_id), typed)


def pick_by_digits(numbers: list[str], typed: str | None) -> str:
    """The one of the customer's ``numbers`` that ``typed`` names (see ``policy_by_digits``)."""
    text = (typed or "").strip().upper()
    if not text:
        if len(numbers) == 1:
            return numbers[0]
        raise InvalidInput(NAME_A_POLICY, field="policy")
    digits = text[1:] if text.startswith("P") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
        raise InvalidInput(NAME_A_POLICY, field="policy")
    matches = [n for n in numbers if n.endswith(digits)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(NO_SUCH_POLICY, digits=digits[-8:])
    raise InvalidInput(SEVERAL_POLICIES, field="policy", digits=digits[-8:])
