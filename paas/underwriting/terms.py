"""The special terms an underwriter set on an issued policy (an exclusion, an extra premium),
as the policy's own page shows them."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, or_, select

from iaas.database import DirectSelect
from paas.policies.models import Policy
from paas.underwriting.models import Application

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SpecialTerms:
    exclusion: str | None
    extra_premium_pct: Decimal | None


# Built once and run on the DBAPI cursor: the policy page asks it on every visit.
_SPECIAL_TERMS = DirectSelect(
    select(Application.exclusion, Application.extra_premium_pct).join(Policy, Policy.id == Application.policy_id)
    .where(Policy.policy_number == bindparam("number"), Policy.owner_id == bindparam("owner_id"),
           or_(Application.exclusion.is_not(None), Application.extra_premium_pct.is_not(None)))
    .limit(1)
)


def special_terms(uow: "UnitOfWork", owner_id: int, policy_number: str) -> SpecialTerms | None:
    row = _SPECIAL_TERMS.one_or_none(uow.connection(), {"number": policy_number, "owner_id": owner_id})
    return SpecialTerms(*row) if row else None
