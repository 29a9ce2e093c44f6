"""Builds the platform from settings: picks each port's implementation."""
from __future__ import annotations

from sqlalchemy import Engine

from iaas.clock import Clock, SystemClock
from iaas.database import create_database_engine, read_only_connector, read_only_session_factory, session_factory
from iaas.ratelimit import DatabaseCounters, RateLimiter
from paas.platform import Platform
from portal.cloud_config import CloudSettings
from portal.cloud_wiring import build_gateways, build_objects, keyring_file
from portal.config import Settings
from portal.jobs_wiring import build_job_queue
from portal.payments_wiring import build_payments


def build_engine(settings: Settings) -> Engine:
    return create_database_engine(settings.database_url, pool_size=settings.database_pool_size)


def build_rate_limiter(settings: Settings, engine: Engine) -> RateLimiter:
    """``database`` (default): a counters table every worker shares; else a ``limits`` URI
    (``redis://...``, or ``memory://`` for one process)."""
    if settings.ratelimit_storage != "database":
        return RateLimiter(settings.ratelimit_storage)
    if engine.dialect.name == "sqlite":
        # SQLite has one writer per file, and a request may already hold that lock when it
        # counts a sign-in: the counters get a file of their own beside the database.
        counters_engine = create_database_engine(f"sqlite:///{settings.data_dir / 'ratelimit.sqlite3'}")
        return RateLimiter(DatabaseCounters(counters_engine, create_table=True))
    return RateLimiter(DatabaseCounters(engine))


def build_platform(settings: Settings, *, engine: Engine | None = None, clock: Clock | None = None) -> Platform:
    engine = engine or build_engine(settings)
    cloud = CloudSettings.from_settings(settings)  # each port local unless the environment names a cloud one
    objects = build_objects(settings, cloud)
    keyring = keyring_file(settings, objects, cloud).load_or_create()
    return Platform(
        session_factory=session_factory(engine),
        read_only_session_factory=read_only_session_factory(engine),
        read_only_connect=read_only_connector(engine),
        clock=clock or SystemClock(),
        keyring=keyring,
        rate_limiter=build_rate_limiter(settings, engine),
        gateways=build_gateways(settings, keyring, cloud),
        security=settings.security,
        payments=build_payments(settings),
        public_url=settings.public_url,
        objects=objects,
        jobs=build_job_queue(settings, engine),
    )
