"""``IN`` in the engine's prebuilt statements: each value a bind of its own, fixed when the
statement is built. An ``IN`` of a plain list is an expanding bind, rendered anew at every
execution."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import literal
from sqlalchemy.sql.elements import ColumnElement


def one_of(column, values: Iterable[str]) -> ColumnElement[bool]:
    return column.in_([literal(value) for value in values])
