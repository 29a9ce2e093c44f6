"""On PostgreSQL a unit of work's audit entries and its COMMIT go in one round trip (the head's
lock, which orders every writer, is held for one answer less): what the unit wrote is
committed with its entries or not at all, a failure is SQLAlchemy's error as before, and
writers racing for the head leave one unbroken chain. Real commits, in a throwaway database."""
from __future__ import annotations

import threading

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from paas.audit import chain
from paas.audit.chain import SYSTEM
from paas.audit.models import AuditEntry
from tests.postgres_support import committing_platform, migrated_engine

pytestmark = [pytest.mark.postgres]


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    for engine in migrated_engine(postgres_databases, pool_size=8):
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE scratch (note text NOT NULL)"))
        yield engine


@pytest.fixture
def pg(pg_engine):
    return committing_platform(pg_engine)


def _notes(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT note FROM scratch ORDER BY note")).scalars())


def _entries(engine, action: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def _unit(platform, note: str, action: str = "test.noted") -> None:
    with platform.unit_of_work() as uow:
        uow.session.execute(text("INSERT INTO scratch (note) VALUES (:note)"), {"note": note})
        chain.record(uow, SYSTEM, action, subject=f"note:{note}")
        uow.commit()


def test_the_entries_and_the_commit_are_one_pipeline_and_the_units_writes_are_committed(pg, pg_engine, monkeypatch):
    pipelines = []
    real = psycopg.Connection.pipeline

    def recorded(self, *args, **kwargs):
        pipelines.append(self.info.transaction_status)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "pipeline", recorded)
    _unit(pg, "first")
    assert pipelines == [psycopg.pq.TransactionStatus.INTRANS]  # sent within the unit's transaction
    assert "first" in _notes(pg_engine) and _entries(pg_engine, "test.noted") >= 1
    _unit(pg, "second")  # the pooled connection the pipeline used carries on
    assert {"first", "second"} <= set(_notes(pg_engine))
    with pg.unit_of_work() as uow:
        assert chain.verify(uow.session, uow.keyring).intact


def test_a_failed_chain_statement_commits_nothing_of_the_unit_and_is_sqlalchemys_error(pg, pg_engine):
    _unit(pg, "before")
    with pg_engine.begin() as connection:  # the head moved back: the next entry's seq is taken
        connection.execute(text("UPDATE audit_head SET seq = seq - 1"))
    try:
        with pytest.raises(IntegrityError):
            _unit(pg, "lost", action="test.lost")
    finally:
        with pg_engine.begin() as connection:
            connection.execute(text("UPDATE audit_head SET seq = seq + 1"))
    assert "lost" not in _notes(pg_engine) and _entries(pg_engine, "test.lost") == 0
    _unit(pg, "after")  # the connection the failure left went back to the pool usable
    assert "after" in _notes(pg_engine)
    with pg.unit_of_work() as uow:
        assert chain.verify(uow.session, uow.keyring).intact


def test_eight_writers_racing_for_the_head_leave_one_unbroken_chain(pg, pg_engine):
    with pg_engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AuditEntry))
    errors = []

    def write(worker: int) -> None:
        try:
            for n in range(25):
                _unit(pg, f"race-{worker}-{n:02d}", action="test.race")
        except Exception as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert _entries(pg_engine, "test.race") == 200
    assert sum(note.startswith("race-") for note in _notes(pg_engine)) == 200
    with pg_engine.connect() as connection:
        seqs = list(connection.execute(select(AuditEntry.seq).order_by(AuditEntry.seq)).scalars())
    assert len(seqs) == before + 200 and seqs == list(range(1, len(seqs) + 1))
    with pg.unit_of_work() as uow:
        assert chain.verify(uow.session, uow.keyring).intact


def test_a_connection_lost_in_the_commit_is_dropped_and_the_next_unit_gets_a_live_one(pg, pg_engine, monkeypatch):
    from sqlalchemy.exc import OperationalError

    real_hash = chain.entry_hash
    killed = []

    def hash_then_lose_the_connection(keyring, entry, prev_hash):
        if not killed:  # between the head's statement and the pipelined commit
            with pg_engine.connect() as other:
                killed.append(other.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND query LIKE 'UPDATE audit_head%'")).scalars().all())
        return real_hash(keyring, entry, prev_hash)

    monkeypatch.setattr(chain, "entry_hash", hash_then_lose_the_connection)
    with pytest.raises(OperationalError):
        _unit(pg, "cut off", action="test.cut")
    assert killed == [[True]]
    assert "cut off" not in _notes(pg_engine) and _entries(pg_engine, "test.cut") == 0
    for n in range(10):  # whatever connection the pool hands out next is alive
        _unit(pg, f"after cut {n}")
    assert {f"after cut {n}" for n in range(10)} <= set(_notes(pg_engine))
