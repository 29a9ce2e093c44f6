"""The insured's cover with us, for the aggregate rules: policies still covering them plus the
applications that may still become cover — never the application being judged, and never an
application already issued (its policy counts instead), so applying twice counts each once."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.policies.models import Policy
from paas.policies.terms import COVER_STATUSES
from paas.underwriting.models import Application
from paas.underwriting.states import OPEN

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def cover_with_us(uow: "UnitOfWork", insured_id: int, *, excluding_application: int | None = None) -> Decimal:
    policies = uow.session.scalar(select(func.coalesce(func.sum(Policy.sum_assured), 0)).where(
        Policy.insured_id == insured_id, Policy.status.in_(COVER_STATUSES)))
    applications = uow.session.scalar(select(func.coalesce(func.sum(Application.sum_assured), 0)).where(
        Application.insured_id == insured_id, Application.status.in_(OPEN),
        Application.id != (excluding_application or 0)))
    return Decimal(policies or 0) + Decimal(applications or 0)
