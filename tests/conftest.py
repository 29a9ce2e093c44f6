"""Shared fixtures. Database tests run on SQLite and, when a server is reachable, on
PostgreSQL; each test runs inside a transaction that is rolled back (services' commits
only release savepoints), so tests never see each other's data."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from iaas.clock import FixedClock
from iaas.database import create_database_engine
from iaas.keyring import LocalKeyRing
from iaas.objects import LocalFolderStore
from iaas.ratelimit import DatabaseCounters, RateLimiter
from paas.platform import Platform
from paas.security.policy import SecurityPolicy
from portal import migrate
from tests.fakes import RecordingGateway

POSTGRES_ADMIN_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_POSTGRES = os.environ.get("PORTAL_REQUIRE_POSTGRES") == "1"
# Cheap password hashing in tests; production parameters are tested separately.
FAST_SECURITY = SecurityPolicy(argon2_time_cost=1, argon2_memory_cost_kib=8192, argon2_parallelism=1)
TEST_NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


def _postgres_admin() -> psycopg.Connection | None:
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required (PORTAL_REQUIRE_POSTGRES=1) but unreachable: {exc}")
        return None


class PostgresDatabases:
    """Creates throwaway databases on the test server and drops them at the end."""

    def __init__(self) -> None:
        self._created: list[str] = []
        self._admin: psycopg.Connection | None = None
        self._checked = False

    def create(self) -> str:
        if not self._checked:
            self._admin = _postgres_admin()
            self._checked = True
        if self._admin is None:
            pytest.skip("PostgreSQL not reachable (set PORTAL_REQUIRE_POSTGRES=1 to make this a failure)")
        name = f"portal_test_{uuid.uuid4().hex[:12]}"
        self._admin.execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
        return f"{base}/{name}"

    def drop_all(self) -> None:
        if self._admin is None:
            return
        for name in self._created:
            self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._admin.close()


@pytest.fixture(scope="session")
def postgres_databases():
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory) -> Engine:
    path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    engine = create_database_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_databases) -> Engine:
    engine = create_database_engine(postgres_databases.create())
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def connection(engine):
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_NOW)


@pytest.fixture(scope="session")
def keyring() -> LocalKeyRing:
    return LocalKeyRing.generate()


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
def payments(tmp_path):
    """The sandbox payment provider; its webhooks wait for the test to deliver them."""
    from tests.payments_support import sandbox_gateway

    return sandbox_gateway(tmp_path)


@pytest.fixture
def rate_limiter(tmp_path):
    """Sign-in counters as the embedded default keeps them (a database of their own beside the
    SQLite one); a file per test, so counts never leak from one test to the next."""
    engine = create_database_engine(f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}")
    yield RateLimiter(DatabaseCounters(engine, create_table=True))
    engine.dispose()


@pytest.fixture
def platform(connection, clock, keyring, gateway, payments, rate_limiter, tmp_path) -> Platform:
    def session_factory() -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    return Platform(
        session_factory=session_factory,
        clock=clock,
        keyring=keyring,
        rate_limiter=rate_limiter,
        gateways={"email": gateway, "sms": gateway},
        security=FAST_SECURITY,
        payments=payments,
        objects=LocalFolderStore(tmp_path / "objects"),
    )


@pytest.fixture
def uow(platform):
    with platform.unit_of_work() as unit:
        yield unit


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def settings(tmp_path):
    from portal.config import Settings

    return Settings.from_env({"PORTAL_ENV": "test", "PORTAL_DATA_DIR": str(tmp_path / "var"), "PORTAL_SECRET_KEY": "test-secret-key"})


@pytest.fixture
def app(platform, settings):
    from portal.app import create_app

    return create_app(settings, platform=platform)


@pytest.fixture
def web(app):
    from tests.web_client import WebClient

    return WebClient(app.test_client())


@pytest.fixture
def other_web(app):
    """A second, independent browser."""
    from tests.web_client import WebClient

    return WebClient(app.test_client())
