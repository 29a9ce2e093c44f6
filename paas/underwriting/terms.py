"""The special terms an underwriter set on an issued policy (an exclusion, an extra premium),
as the policy's own page shows them."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, or_, select

from iaas.database import DirectStatement
from paas.policies.models import Policy
from paas.underwriting.models import Application

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SpecialTerms:
    exclusion: str | None
    extra_premium_pct: Decimal | None


# Built once and run on the DBAPI cursor: the policy page asks it on every visit.
_SPECIAL_TERMS = DirectStatement(
    select(Application.exclusion, Application.extra_premium_pct).join(Policy, Policy.id == Application.policy_id)
    .where(Policy.policy_number == bindparam("number"), Policy.owner_id == bindparam("owner_id"),
           or_(Application.exclusion.is_not(None), Application.extra_premium_pct.is_not(None)))
    .limit(1)
)


def special_terms(uow: "UnitOfWork", owner_id: int, policy_number: str) -> SpecialTerms | None:
    row = _SPECIAL_TERMS.one_or_none(uow.connection(), {"number": policy_number, "owner_id": owner_id})
    return SpecialTerms(*row) if row else None


def _first_with_terms(column):
    return (select(column).where(Application.policy_id == Policy.id,
                                 or_(Application.exclusion.is_not(None), Application.extra_premium_pct.is_not(None)))
            .order_by(Application.id).limit(1).scalar_subquery())


# The same terms as two columns of a statement about one policy (the policy page's own, see
# paas.policies.detail.policy_detail_with): no round trip of their own. Both from one application.
SPECIAL_TERMS_COLUMNS = (_first_with_terms(Application.exclusion).label("special_exclusion"),
                         _first_with_terms(Application.extra_premium_pct).label("special_extra_premium_pct"))


def special_terms_of(exclusion: str | None, extra_premium_pct: Decimal | None) -> SpecialTerms | None:
    """The terms read by ``SPECIAL_TERMS_COLUMNS``, or None when the policy has none."""
    if exclusion is None and extra_premium_pct is None:
        return None
    return SpecialTerms(exclusion, extra_premium_pct)
