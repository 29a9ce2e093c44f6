"""Many rows in one statement whose text does not change with their number, on PostgreSQL:
each column is passed as one array and the rows are ``unnest(...)``-ed back in the query. A
multi-row VALUES list is a new text (and a new parse, and no prepared statement) for every
batch size, and past 50 parameters psycopg stops caching its parse; arrays keep a batch's
insert or update one cached, prepared statement however many rows it carries."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import String, Table, any_, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY


def unnested(table: Table, columns: Sequence[str], *, prefix: str = "rows_", types: Mapping[str, object] | None = None):
    """``unnest(:rows_a, :rows_b, ...) AS anon(a, b, ...)``, each array typed as ``table``'s
    column of that name (or as ``types[name]`` for a column not in the table)."""
    arrays = [bindparam(prefix + name, type_=ARRAY((types or {}).get(name) or table.c[name].type)) for name in columns]
    return func.unnest(*arrays).table_valued(*columns).render_derived()


def arrays_of(rows: Sequence[Mapping[str, object]], columns: Sequence[str], *, prefix: str = "rows_") -> dict[str, list]:
    """The parameters of ``unnested``: one list per column, in the rows' order."""
    return {prefix + name: [row[name] for row in rows] for name in columns}


DIALECTS = ("postgresql", "sqlite")  # the two the portal runs on: a statement is built once for each


def one_of(column, name: str, dialect: str):
    """``column IN`` the list passed as ``name``: on PostgreSQL ``column = ANY((SELECT :name))``,
    the list as one array (one text, so one prepared statement and one plan, whatever its
    length); elsewhere an expanding ``IN (...)``, rendered for each length."""
    if dialect == "postgresql":
        # An array of the column's type without its length: cast to VARCHAR(20)[], a longer
        # value would be cut to 20 characters, and could then match a row it is not.
        array_type = ARRAY(String() if isinstance(column.type, String) else column.type)
        # Behind a scalar subquery the planner does not see the list's values, so every plan
        # of the prepared statement is alike and PostgreSQL keeps its generic one: with the
        # array itself it planned each execution anew, as a custom plan cheaper by a few rows
        # (the asset sheets: 0.5 ms of planning every batch). The cast makes ANY take an
        # array, not the rows of a subquery.
        return column == any_(cast(select(bindparam(name, type_=array_type)).scalar_subquery(), array_type))
    return column.in_(bindparam(name, expanding=True))
