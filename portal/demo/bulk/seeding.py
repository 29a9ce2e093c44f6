"""``bulk_seed``: reserve the numbers and ids, generate the people, then load the rows with
the loader for the database at hand."""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timezone

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.numbering import CUSTOMER_NUMBER, POLICY_NUMBER, allocate
from paas.platform import Platform
from paas.products.catalogue import sync_catalogue
from portal.demo.bulk.customers import mobile_permutation
from portal.demo.bulk.generic import load_generic
from portal.demo.bulk.people import generate_people
from portal.demo.bulk.plan import Plan
from portal.demo.bulk.postgres import advance_sequence, analyse, load_postgresql, prepare_for_load
from portal.demo.bulk.report import BulkReport
from portal.demo.people import PEOPLE

DEFAULT_SEED = 20261127
CUSTOMERS_PER_POLICY = 0.4


def bulk_seed(
    platform: Platform,
    engine: Engine,
    *,
    policies: int,
    customers: int | None = None,
    progress: Callable[[str], None] = print,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    workers: int | None = None,
    rebuild_indexes: bool | None = None,
) -> BulkReport:
    """Generate and load ``policies`` policies and ``customers`` customers (default 40% of
    the policies). ``workers``: generator processes on PostgreSQL (default: one per core, at
    most eight; 0 generates in this process). ``rebuild_indexes``: drop the
    secondary indexes and foreign keys of the loaded tables during the load (default: when
    the load is large compared with what the tables hold)."""
    if policies < 1:
        raise ValueError("policies must be positive")
    customers = customers if customers is not None else max(1, round(policies * CUSTOMERS_PER_POLICY))
    if customers < 1:
        raise ValueError("customers must be positive")
    started = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"
    today = today or platform.clock.today()
    now_text = platform.clock.now().astimezone(timezone.utc).isoformat(sep=" ")
    report = BulkReport(
        customers=customers, policies=policies, database=engine.url.render_as_string(hide_password=True)
    )
    with Session(engine) as session:
        plan = _plan(session, platform, report, seed, today, now_text)
        if postgres:
            load_postgresql(session, plan, report, progress, workers, rebuild_indexes)
        else:
            load_generic(session, plan, report, progress)
        with report.phase("commit"):
            session.commit()
    if postgres:
        with report.phase("analyze"), engine.connect() as connection:
            analyse(connection)
            connection.commit()
    report.seconds = time.perf_counter() - started
    return report


def _plan(session: Session, platform: Platform, report: BulkReport, seed: int, today: date, now_text: str) -> Plan:
    """Reserve the customer and policy numbers and ids, and generate the people."""
    product_ids = {code: product.id for code, product in sync_catalogue(session).items()}
    first_customer_seq = allocate(session, "customer", report.customers)
    first_policy_seq = allocate(session, "policy", report.policies)
    report.first_customer_number = CUSTOMER_NUMBER.format(first_customer_seq)
    report.first_policy_number = POLICY_NUMBER.format(first_policy_seq)
    # A second load into the same database gets other people, not the same ones again.
    stream = f"{seed}/{first_customer_seq}/{first_policy_seq}"
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        prepare_for_load(connection)
    customer_base = _reserve_ids(connection, "customers", report.customers, postgres)
    policy_base = _reserve_ids(connection, "policies", report.policies, postgres)
    with report.phase("reserved"):
        id_numbers, mobiles = _identities_in_use(connection, platform.keyring)
    with report.phase("people"):
        people = generate_people(report.customers, stream, today, id_numbers)
    mobile_a, mobile_b = mobile_permutation(stream)
    return Plan(
        seed=stream,
        today=today,
        now_text=now_text,
        people=people,
        keyring=platform.keyring,
        customer_base_id=customer_base,
        first_customer_seq=first_customer_seq,
        policy_base_id=policy_base,
        first_policy_seq=first_policy_seq,
        product_ids=product_ids,
        reserved_mobiles=frozenset(mobiles),
        mobile_a=mobile_a,
        mobile_b=mobile_b,
    )


def _reserve_ids(connection: Connection, table: str, count: int, postgres: bool) -> int:
    """The id just before a block of ``count`` free ids (on PostgreSQL, reserved in the
    table's sequence too)."""
    highest = connection.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar_one()
    return advance_sequence(connection, table, highest, count) if postgres else highest


def _identities_in_use(connection: Connection, keyring) -> tuple[set[tuple[str, int, int]], set[str]]:
    """The ID numbers - as (division code, birth date ordinal, sequence) - and mobiles of
    the customers already there and of the demo cast (which may be loaded later)."""
    id_numbers = {p.id_number for p in PEOPLE}
    mobiles = {p.mobile for p in PEOPLE if p.mobile}
    for cipher, mobile in connection.execute(select(Customer.id_number_cipher, Customer.mobile)):
        try:
            id_numbers.add(keyring.decrypt(cipher, context=ID_NUMBER_CONTEXT))
        except ValueError:  # a key no longer in the ring: that number cannot be checked
            pass
        if mobile:
            mobiles.add(mobile)
    reserved = set()
    for number in id_numbers:
        try:
            born_on = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            reserved.add((number[:6], born_on.toordinal(), int(number[14:17])))
        except ValueError:  # not a resident ID number of the usual shape
            pass
    return reserved, mobiles
