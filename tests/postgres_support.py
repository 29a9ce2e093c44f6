"""A platform on a throwaway PostgreSQL database with real commits (not the savepoint-wrapped
test session), for the proofs that need concurrent transactions and threads."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine

from iaas.clock import FixedClock
from iaas.database import create_database_engine, read_only_connector, read_only_session_factory, session_factory
from iaas.keyring import LocalKeyRing
from iaas.ratelimit import RateLimiter
from paas.platform import Platform
from portal import migrate
from tests.conftest import FAST_SECURITY, TEST_NOW
from tests.fakes import RecordingGateway


def migrated_engine(postgres_databases, *, pool_size: int) -> Iterator[Engine]:
    """For a module-scoped fixture: a fresh database at the current schema, disposed after."""
    engine = create_database_engine(postgres_databases.create(), pool_size=pool_size)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


# One key ring for the run, as a server has one: a module's tests share their database, and the
# audit entries each of them writes must verify under the ring of the next.
KEYRING = LocalKeyRing.generate()


def committing_platform(engine: Engine, **parts) -> Platform:
    """The platform as the server wires it, on ``engine``; ``parts`` add or replace ports."""
    return Platform(**{
        "session_factory": session_factory(engine), "read_only_session_factory": read_only_session_factory(engine),
        "read_only_connect": read_only_connector(engine),
        "clock": FixedClock(TEST_NOW), "keyring": KEYRING, "rate_limiter": RateLimiter("memory://"),
        "gateways": {"email": RecordingGateway(), "sms": RecordingGateway()}, "security": FAST_SECURITY, **parts,
    })
