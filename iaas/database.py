"""Database port: builds the SQLAlchemy engine for the configured URL.

The embedded default is an SQLite file; PostgreSQL is the production database. Both get
the same session factory, so the services above never know which one they talk to."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def sqlite_url_for(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'portal.sqlite3').resolve()}"


def normalise_url(url: str) -> str:
    """Accept the common ``postgres://`` / ``postgresql://`` spellings and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def create_database_engine(url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo=echo)
    engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size)
    _ping_when_idle(engine)
    return engine


# A connection back in the pool for less than this is taken as alive: under load every
# checkout would otherwise cost a round trip (SQLAlchemy's pre-ping pings every time), while
# what kills connections - a server restart, an idle timeout, a failover - happens to ones
# left idle. One that still dies in between fails that one request, as it would a moment later.
PING_AFTER_IDLE_SECONDS = 2.0


def _ping_when_idle(engine: Engine) -> None:
    """The pessimistic disconnect check of SQLAlchemy's pool, for idle connections only: a
    dead one is discarded and a fresh one taken (``DisconnectionError`` on checkout)."""

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_connection, record):
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _checkout(dbapi_connection, record, _proxy):
        returned_at = record.info.pop("returned_at", None)
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return  # fresh from connect(), or just used
        record.info["pinged"] = True  # for the benchmarks' round-trip counts
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error
            raise


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # The driver's own transaction handling is switched off so that every transaction can
    # start with BEGIN IMMEDIATE: SQLite cannot upgrade a read transaction to a write one
    # once another writer has committed, and waiting for the write lock up front (with
    # busy_timeout) is the only way concurrent requests never fail with "database is locked".
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # pragma: no cover - exercised by every SQLite test
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):  # pragma: no cover - exercised by every SQLite test
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def read_only_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose statements each commit on their own (no BEGIN/COMMIT round trips), for
    pages that only read. SQLite keeps its ordinary transactions: they cost nothing there."""
    if engine.dialect.name != "postgresql":
        return session_factory(engine)
    return sessionmaker(bind=read_only_engine(engine), expire_on_commit=False)


def read_only_connector(engine: Engine) -> Callable[[], Connection] | None:
    """Connections of the same autocommit kind, for read-only work in Core without an ORM
    session (None on SQLite, whose read-only work keeps its transaction)."""
    if engine.dialect.name != "postgresql":
        return None
    return read_only_engine(engine).connect


# Marks the read-only engine's connections (DirectStatement runs on their cursors directly).
AUTOCOMMIT_POOL = "portal_autocommit_pool"


def read_only_engine(engine: Engine) -> Engine:
    """The engine of read-only work on PostgreSQL: a pool of its own whose connections are put
    in autocommit once, when they connect. ``engine.execution_options(isolation_level=...)``
    switched a connection of the shared pool to autocommit at every checkout and back at every
    checkin (about 35 microseconds a request). Writes never come here: a unit of work that
    writes takes ``engine``'s transactional connections. Listeners on ``engine``'s statements
    (the benchmarks' round-trip counts) hear this one's too, as they did an option engine's;
    its pool, idle pings included, is its own (``read_only_engine(engine).pool``). Made once
    per engine, disposed with it."""
    own = engine.__dict__.get("_read_only_engine")
    if own is None:
        own = create_engine(engine.url, echo=engine.echo, isolation_level="AUTOCOMMIT",
                            pool_size=engine.pool.size(), max_overflow=engine.pool._max_overflow,
                            execution_options={AUTOCOMMIT_POOL: True})
        own.dispatch = own.dispatch._join(engine.dispatch)  # as SQLAlchemy's OptionEngine shares them
        own._has_events = True  # listeners may be added to ``engine`` later: always look
        _ping_when_idle(own)
        # Called for both engines (their events are shared): only ``engine``'s disposal ends ``own``.
        event.listen(engine, "engine_disposed", lambda disposed: disposed is engine and own.dispose())
        engine.__dict__["_read_only_engine"] = own
    return own


def autocommits(connection: Connection) -> bool:
    """Whether each statement on the connection commits on its own (the driver, not SQLAlchemy,
    ends it): a connection of the read-only pool, or one switched by execution options."""
    options = connection.get_execution_options()
    return bool(options.get(AUTOCOMMIT_POOL)) or options.get("isolation_level") == "AUTOCOMMIT"


class DirectStatement:
    """A prebuilt statement run on the DBAPI cursor: compiled once per dialect, its parameters
    and results converted by the statement's own types exactly as SQLAlchemy converts them,
    without SQLAlchemy's set-up of each execution (cache key, execution context, result
    metadata; for a statement naming mapped classes, the ORM's compile state and, for an
    UPDATE, its synchronisation with the session) - a tenth to a quarter of a millisecond a
    statement. A SELECT, or an INSERT / UPDATE / DELETE with or without RETURNING (rows: what
    it returns). The cursor events still fire (the benchmarks count statements by them), and a
    connection lost meanwhile is invalidated as SQLAlchemy's own execution would.

    Direct on PostgreSQL where the driver, not SQLAlchemy, would send nothing else first: an
    autocommit connection (the read-only pool's), or one whose transaction SQLAlchemy has begun
    (a unit of work's: psycopg opens it at the first statement, and SQLAlchemy ends it). A
    connection not yet in a transaction, and SQLite's (BEGIN IMMEDIATE is SQLAlchemy's to
    send), get the ordinary ``connection.execute``."""

    def __init__(self, statement) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    @classmethod
    def kept(cls, statement) -> "DirectStatement":
        """The one kept for ``statement`` (the same object: a statement built once per shape, by
        an ``lru_cache``d builder), so that it is compiled once; past ``_KEPT_MAX`` statements a
        new one each time (compiled at each use: slower, never wrong)."""
        found = _KEPT.get(id(statement))
        if found is not None and found.statement is statement:
            return found
        made = cls(statement)
        if len(_KEPT) < _KEPT_MAX:
            _KEPT[id(statement)] = made  # holds the statement: its id is not reused meanwhile
        return made

    def rows(self, connection: Connection, params: dict) -> list[tuple]:
        dialect = connection.dialect
        if not (autocommits(connection) or (dialect.name == "postgresql" and connection.in_transaction())):
            result = connection.execute(self.statement, params)
            return [tuple(row) for row in result] if result.returns_rows else []
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = _Compiled(self.statement, dialect)
        return compiled.run(connection, params)

    def in_session(self, session: Session, params: dict) -> list[tuple]:
        """``rows`` in the session's transaction, after its pending changes are flushed (as its
        own execution of an ORM statement would autoflush them first)."""
        session.flush()
        return self.rows(session.connection(), params)

    def one_or_none(self, connection: Connection, params: dict) -> tuple | None:
        return one_or_none_of(self.rows(connection, params))


_KEPT: dict[int, DirectStatement] = {}
_KEPT_MAX = 512


def one_or_none_of(found: list[tuple]) -> tuple | None:
    if len(found) > 1:
        raise exc.MultipleResultsFound("Multiple rows were found when one or none was required")
    return found[0] if found else None


class _Compiled:
    def __init__(self, statement, dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if compiled.positional:  # pragma: no cover - PostgreSQL's drivers take named parameters
            raise ValueError("DirectStatement needs a dialect with named parameters")
        self.sql = compiled.string
        self.construct_params = compiled.construct_params
        # By each parameter's rendered name: ``binds`` also holds a literal's internal key,
        # which ``construct_params`` does not return.
        self.bind_processors = {name: processor for bind, name in compiled.bind_names.items()
                                if (processor := bind.type._cached_bind_processor(dialect)) is not None}
        self.types = [column.type for column in statement.exported_columns]  # a DML's: what it returns
        # Known from the statement: psycopg's cursor.description makes an object per column at each look.
        self.returns_rows = bool(self.types)
        self.result_processors: list | None = None  # from the first cursor's column types

    def run(self, connection: Connection, params: dict) -> list[tuple]:
        values = self.construct_params(params)
        for name, processor in self.bind_processors.items():
            values[name] = processor(values[name])
        dispatch = connection.dispatch
        cursor = connection.connection.cursor()
        try:
            for listener in dispatch.before_cursor_execute:
                listener(connection, cursor, self.sql, values, None, False)
            try:
                cursor.execute(self.sql, values)
                rows = cursor.fetchall() if self.returns_rows else []
            except connection.dialect.loaded_dbapi.Error as error:
                lost = connection.dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
                if lost:
                    connection.invalidate(error)
                raise exc.DBAPIError.instance(self.sql, values, error, connection.dialect.loaded_dbapi.Error,
                                              connection_invalidated=lost, dialect=connection.dialect) from error
            for listener in dispatch.after_cursor_execute:
                listener(connection, cursor, self.sql, values, None, False)
            if self.result_processors is None and self.returns_rows:
                processors = [kind._cached_result_processor(connection.dialect, described[1])
                              for kind, described in zip(self.types, cursor.description)]
                self.result_processors = processors if any(processors) else []
        finally:
            cursor.close()
        if not self.result_processors:
            return rows
        pairs = list(enumerate(self.result_processors))
        converted = []
        for row in rows:
            row = list(row)
            for position, processor in pairs:
                if processor is not None:
                    row[position] = processor(row[position])
            converted.append(tuple(row))
        return converted
