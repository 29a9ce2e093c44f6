"""The cycle's SQL, portable between SQLite and PostgreSQL: date arithmetic, and events
raised (through ``paas.notices.bulk``) for exactly the rows a guarded UPDATE changed."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from sqlalchemy import ColumnElement, Date, String, bindparam, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from paas.insert_once import insert_ignoring_duplicates
from paas.notices.bulk import COUNTED, EVENT_COLUMNS, event_rows, json_detail, raise_for_rows
from paas.notices.models import PolicyEvent
from paas.policies.models import Policy

__all__ = ["event_rows", "json_detail", "raise_for_rows", "update_and_raise", "days_after", "money_text", "date_text",
           "issued_on"]


class days_after(FunctionElement):  # noqa: N801 - reads as SQL
    """``column + n`` days."""

    type = Date()
    inherit_cache = True
    name = "days_after"


@compiles(days_after)
def _days_after(element, compiler, **kw):
    column, days = list(element.clauses)
    return f"({compiler.process(column, **kw)} + {int(days.value)})"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element, compiler, **kw):
    column, days = list(element.clauses)
    return f"date({compiler.process(column, **kw)}, '{int(days.value):+d} days')"


class money_text(FunctionElement):  # noqa: N801
    """An amount as text with its two decimals (SQLite keeps 1200.00 as 1200)."""

    type = String()
    inherit_cache = True
    name = "money_text"


@compiles(money_text)
def _money_text(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


@compiles(money_text, "sqlite")
def _money_text_sqlite(element, compiler, **kw):
    return f"printf('%.2f', {compiler.process(element.clauses, **kw)})"


class date_text(FunctionElement):  # noqa: N801
    """A date as YYYY-MM-DD, whatever the server's DateStyle (SQLite stores that text)."""

    type = String()
    inherit_cache = True
    name = "date_text"


@compiles(date_text)
def _date_text(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


@compiles(date_text, "sqlite")
def _date_text_sqlite(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


def issued_on(dates: list[date]) -> ColumnElement[bool]:
    """``issue_date IN (...)`` with the dates written into the statement: a batch's statement
    is run again and again, and a prepared statement's generic plan could not hash a list of
    parameters - every row would walk the list (thousands of dates for monthly dues)."""
    return Policy.issue_date.in_(bindparam("issued", dates, unique=True, expanding=True, literal_execute=True, type_=Date))


def update_and_raise(session, where: list, values: dict, kind: str, on: date,
                     detail: Callable[[object], Mapping[str, ColumnElement | str | date]], now) -> int:
    """Apply ``values`` to the policies matching ``where`` and raise ``kind`` for exactly
    those. On PostgreSQL one statement (the UPDATE as a CTE, its RETURNING rows feeding the
    INSERT), so a row a concurrent payment moved out of the rule is neither changed nor
    announced. On SQLite the writer holds the database, so the rule cannot change between
    the INSERT and the UPDATE. ``detail`` gives the event's data from the policy's columns."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        changed = (update_policies(where, values)
                   .returning(Policy.id, Policy.paid_to_date, Policy.modal_premium, Policy.expiry_date)
                   .cte("changed"))
        statement = insert_ignoring_duplicates(dialect, PolicyEvent).from_select(
            EVENT_COLUMNS, event_rows(changed.c.id, kind, on, detail(changed.c))).on_conflict_do_nothing()
        return session.execute(statement.execution_options(**COUNTED), {"now": now}).rowcount
    policies = Policy.__table__
    session.execute(
        insert_ignoring_duplicates(dialect, PolicyEvent).from_select(
            EVENT_COLUMNS, event_rows(policies.c.id, kind, on, detail(policies.c)).where(*where)
        ).on_conflict_do_nothing(),
        {"now": now},
    )
    return session.execute(update_policies(where, values)).rowcount


def update_policies(where: list, values: dict):
    return update(Policy).where(*where).values(values).execution_options(synchronize_session=False)
