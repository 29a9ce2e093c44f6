"""Many rows into one table, skipping those whose unique key is taken, returning the new ids:
on PostgreSQL through COPY into a temporary table and one ``INSERT ... SELECT ... ON CONFLICT
DO NOTHING`` (a multi-row INSERT spends most of its time turning a hundred thousand
placeholders into text, COPY streams the values); elsewhere an executemany (SQLite)."""
from __future__ import annotations

import itertools
from collections.abc import Sequence

from sqlalchemy.orm import Session

from sqlalchemy import ColumnElement, Integer, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY

from paas.insert_once import insert_ignoring_duplicates

_names = itertools.count(1)


def insert_new(session: Session, model, rows: Sequence[dict]) -> list[int]:
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql":
        statement = insert_ignoring_duplicates(dialect, model).on_conflict_do_nothing().returning(model.id)
        return list(session.execute(statement, list(rows)).scalars())
    table = model.__table__.name
    columns = list(rows[0])
    listed = ", ".join(columns)
    staging = f"_load_{table}_{next(_names)}"
    raw = session.connection().connection.driver_connection  # psycopg: the session's own transaction
    with raw.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {listed} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY {staging} ({listed}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
        cursor.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {staging} "
                       f"ON CONFLICT DO NOTHING RETURNING id")
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {staging}")
    return ids


def among(session: Session, column, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter however many ids
    (thousands of placeholders cost more to write out than the query takes)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(ids), ARRAY(Integer)))
    return column.in_(list(ids))
