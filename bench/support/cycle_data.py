"""The cycle benchmark's databases: the book (a copy of the web benchmark's ``portal_bench``,
migrated to the current schema, with elections: automatic premium loans, dividend options,
loans, money held) and, for every measurement, a fresh copy of the book made with CREATE
DATABASE ... TEMPLATE, so that each run finds the day's work still to do."""
from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import psycopg

from bench.support.data import database_url

BOOK = "portal_cycle_book"


def admin(server: str) -> psycopg.Connection:
    return psycopg.connect(database_url(server, "postgres"), autocommit=True)


def copy_database(server: str, source: str, target: str) -> float:
    """(Re)create ``target`` as a copy of ``source``; returns the seconds it took."""
    started = time.perf_counter()
    with admin(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return time.perf_counter() - started


def drop_database(server: str, name: str) -> None:
    with admin(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_date(data_dir: Path) -> date:
    """The date the bulk data was generated for (its policies are consistent as of it)."""
    return date.fromisoformat(json.loads((data_dir / "bench-data.json").read_text())["date"])


def prepare_book(server: str, source: str, data_dir: Path, today: date) -> None:
    """The book: ``source`` copied, migrated, given elections and analysed."""
    from sqlalchemy import text

    from portal.config import Settings
    from portal.demo.bulk.elections import add_elections
    from portal.migrate import upgrade
    from portal.wiring import build_engine

    print(f"Copying {source} to {BOOK} ({copy_database(server, source, BOOK):.1f} s); migrating, adding elections ...")
    settings = Settings.from_env({"DATABASE_URL": database_url(server, BOOK), "PORTAL_DATA_DIR": str(data_dir)})
    engine = build_engine(settings)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            add_elections(connection, today)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def warm(server: str, name: str) -> None:
    """Read what the cycle reads, so both contenders start from the same warm cache."""
    with psycopg.connect(database_url(server, name)) as connection:
        for table in ("policies", "policy_loans", "policy_ledger", "products", "customers"):
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()
