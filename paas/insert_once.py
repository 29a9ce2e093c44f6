"""INSERT that skips a row its unique key already has, on PostgreSQL and SQLite alike: one
round trip for "record this once" (an event per policy, kind and day; a ledger entry per
reference), and no race between looking and inserting."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite

from iaas.database import DirectStatement

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


def insert_both_once(session: "Session", first: tuple[Any, dict[str, Any]], second: tuple[Any, dict[str, Any]]) -> None:
    """``insert_once`` of two rows (each a model and its values), each skipped if its unique key
    is taken: on PostgreSQL in one round trip (the first as a data-modifying CTE of the second's
    INSERT), elsewhere one after the other."""
    session.flush()
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql":
        for model, values in (first, second):
            session.execute(_insert_once(dialect, model), values)
        return
    (model, values), (other, other_values) = first, second
    _insert_both_once(model, tuple(values), other, tuple(other_values)).rows(
        session.connection(), {**{f"first_{k}": v for k, v in values.items()}, **{f"second_{k}": v for k, v in other_values.items()}})


@lru_cache(maxsize=16)
def _insert_both_once(model, columns: tuple[str, ...], other, other_columns: tuple[str, ...]) -> DirectStatement:
    # (Parameters named apart from the columns: SQLAlchemy would take one named as a column as a value.)
    table, other_table = model.__table__, other.__table__
    first = (postgresql.insert(table).values({c: bindparam(f"first_{c}", type_=table.c[c].type) for c in columns})
             .on_conflict_do_nothing().cte("first_row"))
    return DirectStatement(postgresql.insert(other_table)
                           .values({c: bindparam(f"second_{c}", type_=other_table.c[c].type) for c in other_columns})
                           .on_conflict_do_nothing().add_cte(first))
