"""PostgreSQL's COPY text format, in which every generator writes its rows: one line per row,
columns separated by tabs, ``\\N`` for NULL. The generated values never contain a tab, a
newline or a backslash, so nothing needs escaping. Databases without COPY get the same text
read back into values (``read_rows``)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Table
from sqlalchemy.types import Date, DateTime, Integer, Numeric

NULL = "\\N"


def money(fen: int) -> str:
    """An amount in fen as yuan with two decimals."""
    return f"{fen // 100}.{fen % 100:02d}"


def encode(lines: list[str]) -> bytes:
    return "".join(lines).encode("utf-8")


def read_rows(table: Table, columns: tuple[str, ...], payload: bytes) -> list[dict[str, object]]:
    """The rows of ``payload`` as column values of ``table``'s types, for ``insert()``."""
    convert = list(zip(columns, _converters(table, columns)))
    rows = []
    for line in payload.decode("utf-8").splitlines():
        values = line.split("\t")
        rows.append({name: (None if value == NULL else fn(value)) for (name, fn), value in zip(convert, values)})
    return rows


def _converters(table: Table, columns: tuple[str, ...]) -> list[Callable[[str], object]]:
    result = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
            result.append(datetime.fromisoformat)
        elif isinstance(kind, Date):
            result.append(date.fromisoformat)
        elif isinstance(kind, Numeric):
            result.append(Decimal)
        elif isinstance(kind, Integer):
            result.append(int)
        else:
            result.append(str)
    return result
