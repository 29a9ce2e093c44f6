"""INSERT that skips a row its unique key already has, on PostgreSQL and SQLite alike: one
round trip for "record this once" (an event per policy, kind and day; a ledger entry per
reference), and no race between looking and inserting."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects import postgresql, sqlite

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def insert_ignoring_duplicates(dialect: str, model):
    """The dialect's INSERT for ``model``'s table; call ``.on_conflict_do_nothing()`` on it."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model.__table__)


def insert_once(session: "Session", model, **values: Any) -> bool:
    """Insert one row unless its unique key is taken; True if it was inserted. The session's
    pending changes go first, as a query would flush them (the row may refer to them)."""
    session.flush()
    result = session.execute(_insert_once(session.get_bind().dialect.name, model), values)
    return result.rowcount == 1


def insert_once_returning_id(session: "Session", model, **values: Any) -> int | None:
    """``insert_once`` that answers with the new row's id (None: the key was taken), in the
    same round trip: for a caller that goes on with the row it made."""
    session.flush()
    return session.execute(_insert_once_returning_id(session.get_bind().dialect.name, model), values).scalar()


@lru_cache(maxsize=64)
def _insert_once_returning_id(dialect: str, model):
    return insert_ignoring_duplicates(dialect, model).on_conflict_do_nothing().returning(model.__table__.c.id)


@lru_cache(maxsize=64)
def _insert_once(dialect: str, model):
    """Built once per table: the values come as parameters (the columns named by their keys),
    so SQLAlchemy finds the statement compiled in its cache instead of building it anew."""
    return insert_ignoring_duplicates(dialect, model).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
