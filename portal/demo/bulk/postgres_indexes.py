"""Loading without the secondary indexes: for a large load, the foreign keys, unique
constraints and plain indexes of the loaded tables are dropped first and recreated at the
end, exactly as they were (from the catalogue's own definitions). Keeping them made a
300,000-policy load 1.7 times slower: every row fired its foreign-key checks and updated
randomly ordered indexes. Primary keys stay."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

LOADED_TABLES = ("customers", "policies", "beneficiaries", "premium_payments")
# Below this many policies, or when the tables already hold much more than the load adds,
# rebuilding costs more than it saves.
_REBUILD_FROM = 50_000


@dataclass
class DroppedIndexes:
    foreign_keys: list[tuple[str, str, str]]  # table, name, definition
    unique: list[tuple[str, str, str]]
    indexes: list[tuple[str, str]]  # name, CREATE INDEX statement


def worth_rebuilding(connection: Connection, policies: int) -> bool:
    existing = connection.exec_driver_sql(
        "SELECT COALESCE(SUM(reltuples), 0) FROM pg_class WHERE relname IN ('policies', 'premium_payments')"
    ).scalar_one()
    return policies >= _REBUILD_FROM and policies * 4 >= max(existing, 0) * 0.5


def drop_secondary_indexes(connection: Connection) -> DroppedIndexes:
    """Drop the foreign keys, unique constraints and plain indexes of the loaded tables,
    remembering their exact definitions."""
    tables = "ARRAY[" + ", ".join(f"'{t}'::regclass" for t in LOADED_TABLES) + "]"
    constraints = connection.exec_driver_sql(
        f"""SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
              FROM pg_constraint WHERE conrelid = ANY({tables}) AND contype IN ('f', 'u') ORDER BY conname"""
    ).all()
    indexes = connection.exec_driver_sql(
        f"""SELECT c.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = ANY({tables})
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY c.relname"""
    ).all()
    dropped = DroppedIndexes(
        foreign_keys=[(t, n, d) for t, n, kind, d in constraints if kind == "f"],
        unique=[(t, n, d) for t, n, kind, d in constraints if kind == "u"],
        indexes=[(n, d) for n, d in indexes],
    )
    for table, name, _definition in dropped.foreign_keys + dropped.unique:
        connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in dropped.indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return dropped


def recreate_secondary_indexes(connection: Connection, dropped: DroppedIndexes) -> None:
    for _name, definition in dropped.indexes:
        connection.exec_driver_sql(definition)
    # unique constraints before the foreign keys, which may reference them
    for table, name, definition in dropped.unique + dropped.foreign_keys:
        connection.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
