"""The engine's prebuilt statements' IN is a fixed list of binds, not an expanding one that
SQLAlchemy renders anew at every execution."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from paas.servicing.binds import one_of
from paas.servicing.models import ServiceRequest
from paas.servicing.request_rows import OPEN


def _sql(condition) -> str:
    return str(select(ServiceRequest.id).where(condition).compile(dialect=postgresql.dialect()))


def test_one_of_is_one_bind_a_value_fixed_with_the_statement():
    fixed, expanding = _sql(one_of(ServiceRequest.status, OPEN)), _sql(ServiceRequest.status.in_(OPEN))
    assert "POSTCOMPILE" in expanding  # what a plain list gives: rendered at each execution
    assert "POSTCOMPILE" not in fixed and fixed.count("%(param_") == len(OPEN)
