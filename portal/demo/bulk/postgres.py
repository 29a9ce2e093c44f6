"""Loading into PostgreSQL: one transaction; rows generated as COPY text in worker processes
(forked: they inherit the plan) while the main process streams them to the server with
``COPY ... FROM STDIN``, the batches in order."""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from portal.demo.bulk.beneficiaries import BENEFICIARY_COLUMNS
from portal.demo.bulk.customers import CUSTOMER_COLUMNS, customer_rows
from portal.demo.bulk.payments import PREMIUM_COLUMNS
from portal.demo.bulk.plan import CUSTOMER_BATCH, POLICY_BATCH, Plan, batches, share_plan
from portal.demo.bulk.policies import POLICY_COLUMNS, policy_rows
from portal.demo.bulk.postgres_indexes import (
    LOADED_TABLES,
    drop_secondary_indexes,
    recreate_secondary_indexes,
    worth_rebuilding,
)
from portal.demo.bulk.report import BulkReport, ProgressMeter

# Generating is the slow side: the server's COPY needs well under one core's worth.
_MAX_WORKERS = 8


def prepare_for_load(connection: Connection) -> None:
    """Nobody else writes the loaded tables meanwhile: the highest ids and the ID numbers
    and mobiles in use are read once, up front. More memory for rebuilding the indexes; and
    no waiting for the commit to reach the disk (a load lost in a crash is simply run again)."""
    connection.exec_driver_sql(f"LOCK TABLE {', '.join(LOADED_TABLES)} IN SHARE ROW EXCLUSIVE MODE")
    connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
    connection.exec_driver_sql("SET LOCAL synchronous_commit = off")


def advance_sequence(connection: Connection, table: str, highest: int, count: int) -> int:
    """Move ``table``'s id sequence past a block of ``count`` ids at once, so other inserts
    never take one of them; returns the id just before the block."""
    sequence = connection.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table}', 'id')").scalar_one()
    last, called = connection.exec_driver_sql(f"SELECT last_value, is_called FROM {sequence}").one()
    base = max(highest, last if called else last - 1)
    connection.exec_driver_sql(f"SELECT setval('{sequence}', {base + count})")
    return base


def analyse(connection: Connection) -> None:
    connection.exec_driver_sql("ANALYZE " + ", ".join(LOADED_TABLES))


def load_postgresql(
    session: Session, plan: Plan, report: BulkReport, progress: Callable[[str], None],
    workers: int | None, rebuild_indexes: bool | None,
) -> None:
    connection = session.connection()
    if rebuild_indexes is None:
        rebuild_indexes = worth_rebuilding(connection, report.policies)
    with report.phase("drop indexes"):
        dropped = drop_secondary_indexes(connection) if rebuild_indexes else None
    if workers is None:
        workers = min(_MAX_WORKERS, os.cpu_count() or 1)
    share_plan(plan)
    raw = connection.connection.dbapi_connection
    with _generators(workers) as pool:
        report.workers = workers if pool is not None else 0
        window = max(2, 2 * workers)
        with report.phase("customers"):
            _copy_customers(raw, pool, window, report, progress)
        with report.phase("policies"):
            _copy_policies(raw, pool, window, report, progress)
    if dropped is not None:
        progress("  recreating indexes and foreign keys")
        with report.phase("indexes"):
            recreate_secondary_indexes(connection, dropped)


def _copy_customers(raw, pool, window: int, report: BulkReport, progress: Callable[[str], None]) -> None:
    meter = ProgressMeter(progress, "customers", report.customers)
    spans = batches(report.customers, CUSTOMER_BATCH)
    with raw.cursor() as cursor, cursor.copy(f"COPY customers ({', '.join(CUSTOMER_COLUMNS)}) FROM STDIN") as copy:
        for span, chunk in zip(spans, _in_order(pool, customer_rows, spans, window)):
            copy.write(chunk)
            meter.add(span[1] - span[0])


def _copy_policies(raw, pool, window: int, report: BulkReport, progress: Callable[[str], None]) -> None:
    meter = ProgressMeter(progress, "policies", report.policies)
    spans = batches(report.policies, POLICY_BATCH)
    statements = (
        f"COPY policies ({', '.join(POLICY_COLUMNS)}) FROM STDIN",
        f"COPY beneficiaries ({', '.join(BENEFICIARY_COLUMNS)}) FROM STDIN",
        f"COPY premium_payments ({', '.join(PREMIUM_COLUMNS)}) FROM STDIN",
    )
    with raw.cursor() as cursor:
        for span, (*texts, beneficiaries, premiums) in zip(spans, _in_order(pool, policy_rows, spans, window)):
            # a batch's policies before their beneficiaries and premiums (foreign keys)
            for statement, text in zip(statements, texts):
                with cursor.copy(statement) as copy:
                    copy.write(text)
            report.beneficiaries += beneficiaries
            report.premiums += premiums
            meter.add(span[1] - span[0])


@contextmanager
def _generators(workers: int) -> Iterator[multiprocessing.pool.Pool | None]:
    """A pool of ``workers`` forked generator processes; None (generate in this process)
    for no workers or where there is no fork."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        context = None
    if workers <= 0 or context is None:
        yield None
        return
    pool = context.Pool(workers, initializer=share_plan)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.close()
        pool.join()


def _in_order(pool, function, tasks: list, window: int) -> Iterator:
    """Results of ``function`` over ``tasks`` in order, at most ``window`` in flight (the
    generated text waits in memory until its turn)."""
    if pool is None:
        for task in tasks:
            yield function(task)
        return
    pending: deque = deque()
    for task in tasks:
        pending.append(pool.apply_async(function, (task,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
