"""Bulk seeding (``portal seed --policies N``) on SQLite and PostgreSQL: the generated data is
coherent and the same for the same seed, a second load clashes with nothing, and the
database stays usable by the services afterwards.

``bulk_seed`` owns its transactions (and on PostgreSQL a COPY stream and worker processes),
so these tests do not run inside the rolled-back transaction of ``platform``: each gets
fresh databases of its own."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from iaas.clock import FixedClock
from iaas.database import create_database_engine
from iaas.ratelimit import RateLimiter
from paas.customers.identity import normalise_mobile, normalise_resident_id
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.numbering import CUSTOMER_NUMBER, POLICY_NUMBER
from paas.platform import Platform
from paas.policies import queries
from paas.policies.models import Beneficiary, Policy
from portal import migrate
from portal.demo.bulk import bulk_seed
from paas.policies.terms import GRACE_DAYS, lapse_date
from paas.policies.schedule import add_months
from tests.conftest import FAST_SECURITY, TEST_NOW
from tests.factories import make_customer

POLICIES, CUSTOMERS = 300, 120
TODAY = TEST_NOW.date()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request, tmp_path):
    """Makes fresh, migrated databases of one kind."""
    engines: list[Engine] = []

    def create() -> Engine:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path}/bulk-{len(engines)}.sqlite3"
        else:
            url = request.getfixturevalue("postgres_databases").create()
        engine = create_database_engine(url)
        migrate.upgrade(engine)
        engines.append(engine)
        return engine

    yield create
    for engine in engines:
        engine.dispose()


def quiet(_line: str) -> None:
    pass


def platform_on(engine: Engine, keyring) -> Platform:
    """Services committing for real (the data must outlive one unit of work here)."""
    return Platform(
        session_factory=lambda: Session(engine, expire_on_commit=False),
        clock=FixedClock(TEST_NOW),
        keyring=keyring,
        rate_limiter=RateLimiter("memory://"),
        gateways={},
        security=FAST_SECURITY,
    )


@pytest.fixture
def loaded(new_database, keyring):
    """A database with one bulk load: (engine, platform, report)."""
    engine = new_database()
    platform = platform_on(engine, keyring)
    report = bulk_seed(platform, engine, policies=POLICIES, customers=CUSTOMERS, progress=quiet)
    return engine, platform, report


def rows(engine: Engine, statement) -> list:
    """The rows of a select (typed: dates as dates on SQLite too) or of an SQL text."""
    with engine.connect() as connection:
        return connection.execute(text(statement) if isinstance(statement, str) else statement).all()


def content_digest(engine: Engine) -> str:
    """Everything loaded except ids and ciphertexts (fresh nonces), parties and policies
    named by their numbers."""
    statements = (
        "SELECT customer_number, name, gender, birth_date, id_number_index, mobile, email, address, created_at"
        " FROM customers ORDER BY customer_number",
        "SELECT p.policy_number, pr.code, o.customer_number, i.customer_number, p.status, p.issue_date,"
        " p.expiry_date, p.sum_assured, p.modal_premium, p.premium_mode, p.premium_end_date, p.paid_to_date,"
        " p.status_date FROM policies p JOIN products pr ON pr.id = p.product_id"
        " JOIN customers o ON o.id = p.owner_id JOIN customers i ON i.id = p.insured_id ORDER BY p.policy_number",
        "SELECT p.policy_number, b.name, b.relationship_to_insured, b.share FROM beneficiaries b"
        " JOIN policies p ON p.id = b.policy_id ORDER BY b.id",
        "SELECT p.policy_number, m.due_date, m.amount, m.paid_on, m.channel FROM premium_payments m"
        " JOIN policies p ON p.id = m.policy_id ORDER BY m.id",
    )
    digest = hashlib.sha256()
    for sql in statements:
        for row in rows(engine, sql):
            digest.update(repr(tuple(str(value) for value in row)).encode())
    return digest.hexdigest()


def test_loads_what_was_asked_for(loaded):
    engine, _platform, report = loaded
    counts = rows(engine, "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM policies),"
                          " (SELECT count(*) FROM beneficiaries), (SELECT count(*) FROM premium_payments)")[0]
    assert tuple(counts) == (CUSTOMERS, POLICIES, report.beneficiaries, report.premiums)
    assert POLICIES <= report.beneficiaries <= 2 * POLICIES
    assert 0 < report.premiums <= 3 * POLICIES
    assert report.first_customer_number == CUSTOMER_NUMBER.format(1)
    assert report.first_policy_number == POLICY_NUMBER.format(1)


def test_id_numbers_are_valid_unique_resident_ids_matching_birth_date_and_gender(loaded):
    engine, platform, _report = loaded
    keyring = platform.keyring
    seen = set()
    customers = select(Customer.id_number_cipher, Customer.id_number_index, Customer.birth_date, Customer.gender)
    for cipher, index, birth_date, gender in rows(engine, customers):
        number = keyring.decrypt(cipher, context=ID_NUMBER_CONTEXT)
        assert normalise_resident_id(number) == number
        assert keyring.blind_index(number, context=ID_NUMBER_CONTEXT) == index
        assert number[6:14] == f"{birth_date:%Y%m%d}"
        assert int(number[16]) % 2 == (1 if gender == "M" else 0)  # odd for men
        seen.add(number)
    assert len(seen) == CUSTOMERS


def test_numbers_and_mobiles_are_unique_and_valid(loaded):
    engine, _platform, _report = loaded
    customer_numbers = [n for (n,) in rows(engine, "SELECT customer_number FROM customers")]
    policy_numbers = [n for (n,) in rows(engine, "SELECT policy_number FROM policies")]
    mobiles = [m for (m,) in rows(engine, "SELECT mobile FROM customers WHERE mobile IS NOT NULL")]
    assert len(set(customer_numbers)) == CUSTOMERS
    assert len(set(policy_numbers)) == POLICIES
    assert all(CUSTOMER_NUMBER.normalise(n) == n for n in customer_numbers)
    assert all(POLICY_NUMBER.normalise(n) == n for n in policy_numbers)
    assert len(set(mobiles)) == len(mobiles) > CUSTOMERS * 0.9
    assert all(normalise_mobile(m) == m for m in mobiles)


def test_every_policy_has_beneficiaries_whose_shares_sum_to_100(loaded):
    engine, _platform, _report = loaded
    totals = rows(engine, select(Policy.id, func.sum(Beneficiary.share))
                  .join(Beneficiary, Beneficiary.policy_id == Policy.id, isouter=True).group_by(Policy.id))
    assert len(totals) == POLICIES
    assert {Decimal(str(total)) for _id, total in totals} == {Decimal("100")}


def test_statuses_agree_with_the_dates(loaded):
    engine, _platform, _report = loaded
    policies = rows(engine, select(Policy.status, Policy.issue_date, Policy.expiry_date, Policy.premium_end_date,
                                   Policy.paid_to_date, Policy.status_date))
    for status, issue, expiry, premium_end, paid_to, since in policies:
        assert issue <= TODAY and since <= TODAY
        if status == "in_force":  # paid up to today, or every premium paid
            assert paid_to >= TODAY or paid_to == premium_end
            assert since == issue and (expiry is None or expiry > TODAY)
        elif status == "grace":  # the first unpaid due less than the grace period ago
            assert since == paid_to and timedelta(0) < TODAY - paid_to <= timedelta(days=GRACE_DAYS)
        elif status in ("lapsed", "paid_up"):  # the grace period ran out after the first unpaid due
            assert since == lapse_date(paid_to) < TODAY and paid_to < premium_end  # the engine's lapse date
        elif status == "surrendered":
            assert add_months(issue, 24) <= since < TODAY
        else:
            assert status == "matured" and since == expiry <= TODAY
    mix = Counter(status for status, *_dates in policies)  # every case above was checked
    assert set(mix) == {"in_force", "grace", "lapsed", "paid_up", "surrendered", "matured"}, mix
    assert mix["in_force"] > POLICIES / 2, mix


def test_the_same_seed_gives_the_same_data(loaded, new_database):
    engine, platform, _report = loaded
    again = new_database()
    # in this process on PostgreSQL, where the first load used worker processes
    bulk_seed(platform_on(again, platform.keyring), again, policies=POLICIES, customers=CUSTOMERS,
              progress=quiet, workers=0)
    assert content_digest(again) == content_digest(engine)
    other = new_database()
    bulk_seed(platform_on(other, platform.keyring), other, policies=POLICIES, customers=CUSTOMERS,
              progress=quiet, seed=1)
    assert content_digest(other) != content_digest(engine)


def test_a_second_load_and_then_the_services_clash_with_nothing(loaded):
    engine, platform, _first = loaded
    second = bulk_seed(platform, engine, policies=100, customers=40, progress=quiet)
    assert second.first_customer_number == CUSTOMER_NUMBER.format(CUSTOMERS + 1)
    assert second.first_policy_number == POLICY_NUMBER.format(POLICIES + 1)
    numbers = rows(engine, "SELECT count(*), count(DISTINCT customer_number), count(DISTINCT id_number_index),"
                           " count(mobile), count(DISTINCT mobile) FROM customers")[0]
    assert numbers[0] == numbers[1] == numbers[2] == CUSTOMERS + 40 and numbers[3] == numbers[4]

    with platform.unit_of_work() as uow:  # ids and numbers come after the loaded ones
        customer = make_customer(uow, born=date(1985, 6, 1))
        uow.commit()
    assert customer.id == CUSTOMERS + 40 + 1
    assert customer.customer_number == CUSTOMER_NUMBER.format(CUSTOMERS + 40 + 1)


def test_the_asset_sheet_of_a_loaded_customer(loaded):
    engine, platform, _report = loaded
    owner, count = rows(engine, "SELECT owner_id, count(*) FROM policies GROUP BY owner_id"
                                " ORDER BY count(*) DESC, owner_id LIMIT 1")[0]
    expected = {n for (n,) in rows(engine, f"SELECT policy_number FROM policies WHERE owner_id = {owner}")}
    with platform.unit_of_work() as uow:
        sheet = queries.asset_sheet(uow, owner)
    assert {p.policy_number for p in sheet.policies} == expected and len(expected) == count
    assert sheet.total_cover >= 0 and sheet.total_annual_premium >= 0


@pytest.mark.postgres
def test_a_large_load_puts_back_every_index_and_constraint(postgres_databases, keyring):
    engine = create_database_engine(postgres_databases.create())
    migrate.upgrade(engine)
    catalogue = (
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
        " UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE connamespace = 'public'::regnamespace ORDER BY 1"
    )
    try:
        before = rows(engine, catalogue)
        bulk_seed(platform_on(engine, keyring), engine, policies=50, progress=quiet,
                  rebuild_indexes=True)
        assert rows(engine, catalogue) == before
    finally:
        engine.dispose()

