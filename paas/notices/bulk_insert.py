"""Many rows into one table, skipping those whose unique key is taken, returning the new ids:
on PostgreSQL through COPY into a temporary table and one ``INSERT ... SELECT ... ON CONFLICT
DO NOTHING`` (a multi-row INSERT spends most of its time turning a hundred thousand
placeholders into text, COPY streams the values); elsewhere, and for a few rows (a change's
own notice), one INSERT: a temporary table, two COPYs and a DROP cost five round trips and
catalog writes to PostgreSQL for what one statement carries.

``copy_new_by`` is the bulk path that expects no conflict: ids drawn from the table's sequence
first, the rows COPYed straight into the table under a savepoint; only if a unique key is taken
after all (another run over the same rows, which the COPY waits for) does that chunk go the
staging way instead, so the later run skips those rows rather than aborting."""
from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from sqlalchemy.orm import Session

from sqlalchemy import ColumnElement, Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

from paas.insert_once import insert_ignoring_duplicates

_names = itertools.count(1)
# Up to this many rows, one INSERT (SQLAlchemy sends an executemany of them as one multi-row
# statement); beyond it COPY, whose setup pays for itself.
FEW = 100


def insert_new(session: Session, model, rows: Sequence[dict]) -> list[int]:
    return [row[0] for row in _insert(session, model, rows, ("id",))]


def insert_new_by(session: Session, model, rows: Sequence[dict], key: str) -> dict:
    """Like ``insert_new``, the new ids by their rows' ``key`` (a unique column): which row got which id."""
    return {value: new_id for new_id, value in _insert(session, model, rows, ("id", key))}


def copy_new_by(session: Session, model, columns: Sequence[str], rows: Sequence[tuple], key: str) -> dict:
    """Like ``insert_new_by`` (rows as tuples of ``columns``' values), cheaper when (as is
    usual) no row's unique key is taken yet."""
    at = columns.index(key)
    if len(rows) <= FEW or session.get_bind().dialect.name != "postgresql":
        return insert_new_by(session, model, [dict(zip(columns, row)) for row in rows], key)
    table = model.__table__.name
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (table, len(rows)))
        ids = [new_id for (new_id,) in cursor.fetchall()]
        cursor.execute("SAVEPOINT copy_new")
        try:
            with _binary_copy(cursor, table, ["id", *columns]) as copy:
                for new_id, row in zip(ids, rows):
                    copy.write_row((new_id, *row))
        except (psycopg.errors.UniqueViolation, psycopg.errors.DeadlockDetected):
            # Taken meanwhile by a run now committed (or one we crossed): skip those rows.
            cursor.execute("ROLLBACK TO SAVEPOINT copy_new")
            return insert_new_by(session, model, [dict(zip(columns, row)) for row in rows], key)
        cursor.execute("RELEASE SAVEPOINT copy_new")
    return {row[at]: new_id for new_id, row in zip(ids, rows)}


def _insert(session: Session, model, rows: Sequence[dict], returned: tuple[str, ...]) -> list[tuple]:
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql" or len(rows) <= FEW:
        return [tuple(row) for row in session.execute(_insert_returning(dialect, model, returned), list(rows))]
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
                       f"ON CONFLICT DO NOTHING RETURNING {', '.join(returned)}")
        made = cursor.fetchall()
        cursor.execute(f"DROP TABLE {staging}")
    return made


@lru_cache(maxsize=32)
def _insert_returning(dialect: str, model, returned: tuple[str, ...]):
    return (insert_ignoring_duplicates(dialect, model).on_conflict_do_nothing()
            .returning(*(getattr(model, name) for name in returned)))


def insert_all(session: Session, model, columns: Sequence[str], rows: Sequence[tuple]) -> int:
    """Insert rows (tuples of ``columns``' values) that cannot conflict with any other (e.g.
    rows of parents this transaction has just made, which no other transaction can see yet):
    on PostgreSQL COPYed straight into the table, no staging table and no conflict check.
    Returns how many."""
    if not rows:
        return 0
    if session.get_bind().dialect.name != "postgresql" or len(rows) <= FEW:
        session.execute(model.__table__.insert(), [dict(zip(columns, row)) for row in rows])
        return len(rows)
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, _binary_copy(cursor, model.__table__.name, list(columns)) as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)


_column_types: dict[str, dict[str, int]] = {}  # a table's columns' type oids, read once


@contextmanager
def _binary_copy(cursor, table: str, columns: list[str]) -> Iterator:
    """``COPY table (columns) FROM STDIN`` in PostgreSQL's binary format: a signed notice's bytes
    go as they are (text COPY doubles them into hex for the server to parse back) and numbers
    and instants unformatted, so both this process and the server do less per row."""
    types = _column_types.get(table)
    if types is None:
        types = _column_types[table] = dict(cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
            (table,)).fetchall())
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([types[name] for name in columns])
        yield copy


def among(dialect: str, column, name: str) -> ColumnElement[bool]:
    """``column IN :name`` for a statement built once, the ids passed at execution: on
    PostgreSQL as ``= ANY(array)``, one parameter however many ids (thousands of placeholders
    cost more to write out than the query takes); an expanding IN elsewhere."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))
