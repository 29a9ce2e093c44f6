"""The pool pings a connection only when it has been idle (iaas.database): one killed while it
waited in the pool is replaced, and one just used is handed out without a round trip."""
from __future__ import annotations

import pytest
from sqlalchemy import event, text

from iaas import database
from iaas.database import create_database_engine


pytestmark = pytest.mark.postgres


def test_a_connection_killed_while_idle_is_replaced_not_handed_out(postgres_databases, monkeypatch):
    engine = create_database_engine(postgres_databases.create(), pool_size=1)
    try:
        with engine.connect() as connection:
            victim = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as other:  # the pool's only connection: the same backend again
            assert other.execute(text("SELECT pg_backend_pid()")).scalar_one() == victim
        killer = create_database_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
        with killer.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim}).scalar_one()
        killer.dispose()
        monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has been idle "long enough"
        with engine.connect() as connection:  # no error: the dead one was found and replaced
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != victim
    finally:
        engine.dispose()


def test_a_connection_just_returned_is_not_pinged(postgres_databases):
    engine = create_database_engine(postgres_databases.create(), pool_size=1)
    sent = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        pings = []
        real_ping = engine.dialect.do_ping
        engine.dialect.do_ping = lambda dbapi_connection: pings.append(1) or real_ping(dbapi_connection)
        for _ in range(3):
            with engine.connect() as connection:
                connection.execute(text("SELECT 2"))
        assert pings == [] and len(sent) == 4
    finally:
        engine.dispose()
