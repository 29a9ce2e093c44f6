"""A prebuilt statement on the DBAPI cursor (iaas.database.DirectStatement) answers what SQLAlchemy's
own execution answers - the same rows, converted by the same column types (instants in UTC,
money as Decimal) - fires the cursor events, and invalidates a connection that was lost."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, event, exc, insert, select, text, update

from iaas.database import DirectStatement, create_database_engine, read_only_connector
from paas.persistence import MONEY, UtcDateTime

pytestmark = pytest.mark.postgres

_METADATA = MetaData()
_ROWS = Table("direct_select_rows", _METADATA, Column("id", Integer, primary_key=True), Column("name", String(20)),
              Column("amount", MONEY), Column("seen_at", UtcDateTime()))
_BY_NAME = select(_ROWS.c.id, _ROWS.c.name, _ROWS.c.amount, _ROWS.c.seen_at).where(
    _ROWS.c.name == bindparam("name"), _ROWS.c.amount >= Decimal("0.00")).order_by(_ROWS.c.id)


@pytest.fixture
def engine(postgres_databases):
    engine = create_database_engine(postgres_databases.create(), pool_size=1)
    _METADATA.create_all(engine)
    east = timezone(timedelta(hours=8))
    with engine.begin() as connection:
        connection.execute(insert(_ROWS), [
            {"id": 1, "name": "王丽", "amount": Decimal("12.30"), "seen_at": datetime(2026, 12, 3, 9, 30, tzinfo=east)},
            {"id": 2, "name": "王丽", "amount": Decimal("0.05"), "seen_at": None},
            {"id": 3, "name": "李雷", "amount": Decimal("7.00"), "seen_at": datetime(2026, 12, 3, 1, 0, tzinfo=east)},
        ])
    yield engine
    engine.dispose()


def test_the_rows_and_their_types_are_sqlalchemys(engine):
    direct = DirectStatement(_BY_NAME)
    with read_only_connector(engine)() as connection:
        connection.execute(text("SET TIME ZONE 'Asia/Shanghai'"))  # the driver's instants come back at +08
        expected = [tuple(row) for row in connection.execute(_BY_NAME, {"name": "王丽"})]
        found = direct.rows(connection, {"name": "王丽"})
        again = direct.rows(connection, {"name": "王丽"})  # the compiled statement kept
        assert found == again == expected and len(found) == 2
        assert found[0][3] == datetime(2026, 12, 3, 1, 30, tzinfo=timezone.utc)
        assert found[0][3].utcoffset() == timedelta(0)  # UtcDateTime's own conversion applied
        assert isinstance(found[0][2], Decimal) and found[0][2] == Decimal("12.30")
        assert direct.one_or_none(connection, {"name": "李雷"})[0] == 3
        assert direct.one_or_none(connection, {"name": "nobody"}) is None
        with pytest.raises(exc.MultipleResultsFound):
            direct.one_or_none(connection, {"name": "王丽"})


def test_before_a_transaction_is_begun_it_is_sqlalchemys_own_execution(engine):
    sent = []
    event.listen(engine, "begin", lambda connection: sent.append("begin"))
    with engine.connect() as connection:  # not autocommit: SQLAlchemy begins and ends the transaction
        assert [row[0] for row in DirectStatement(_BY_NAME).rows(connection, {"name": "王丽"})] == [1, 2]
        assert connection.in_transaction() and sent == ["begin"]


_RENAME = DirectStatement(update(_ROWS).where(_ROWS.c.id == bindparam("row_id")).values(name=bindparam("new_name"))
                          .returning(_ROWS.c.id, _ROWS.c.amount, _ROWS.c.seen_at))
_ADD = DirectStatement(insert(_ROWS).values(id=bindparam("row_id"), name=bindparam("new_name"), amount=Decimal("1.00")))


def test_in_a_begun_transaction_a_write_is_part_of_it(engine):
    # A unit of work's connection: its writes on the cursor are the transaction's, undone by its rollback.
    with engine.connect() as connection:
        transaction = connection.begin()
        (renamed,) = _RENAME.rows(connection, {"row_id": 1, "new_name": "张三"})
        assert renamed == (1, Decimal("12.30"), datetime(2026, 12, 3, 1, 30, tzinfo=timezone.utc))
        assert _ADD.rows(connection, {"row_id": 9, "new_name": "张三"}) == []  # no RETURNING: no rows
        assert [row[0] for row in DirectStatement(_BY_NAME).rows(connection, {"name": "张三"})] == [1, 9]
        transaction.rollback()
    with engine.connect() as connection:
        assert [row[0] for row in DirectStatement(_BY_NAME).rows(connection, {"name": "张三"})] == []
        assert [row[0] for row in DirectStatement(_BY_NAME).rows(connection, {"name": "王丽"})] == [1, 2]


def test_in_a_begun_transaction_a_failed_write_raises_as_sqlalchemy_and_is_rolled_back(engine):
    with engine.connect() as connection:
        transaction = connection.begin()
        _ADD.rows(connection, {"row_id": 10, "new_name": "赵六"})
        with pytest.raises(exc.IntegrityError):
            _ADD.rows(connection, {"row_id": 1, "new_name": "赵六"})  # the id is taken
        transaction.rollback()
        assert [row[0] for row in DirectStatement(_BY_NAME).rows(connection, {"name": "赵六"})] == []


def test_a_statement_built_once_is_kept_once(engine):
    assert DirectStatement.kept(_BY_NAME) is DirectStatement.kept(_BY_NAME)
    assert DirectStatement.kept(_BY_NAME) is not DirectStatement.kept(_BY_NAME.limit(1))


def test_the_cursor_events_fire(engine):
    sent = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(("before", args[2])))
    event.listen(engine, "after_cursor_execute", lambda *args: sent.append(("after", args[2])))
    with read_only_connector(engine)() as connection:
        DirectStatement(_BY_NAME).rows(connection, {"name": "王丽"})
    assert [step for step, _sql in sent] == ["before", "after"] and "direct_select_rows" in sent[0][1]


def test_a_lost_connection_is_invalidated(engine):
    with read_only_connector(engine)() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as other:  # the pool's overflow
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(exc.DBAPIError) as raised:
            DirectStatement(_BY_NAME).rows(connection, {"name": "王丽"})
        assert raised.value.connection_invalidated and connection.invalidated


def test_a_literal_of_a_converting_type_is_converted(engine):
    # A literal instant in the statement: its parameter is converted by UtcDateTime like a named one.
    since = datetime(2026, 12, 3, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    seen_since = select(_ROWS.c.id).where(_ROWS.c.seen_at > since, _ROWS.c.name == bindparam("name"))
    with read_only_connector(engine)() as connection:
        assert [row[0] for row in DirectStatement(seen_since).rows(connection, {"name": "王丽"})] == [1]
        assert [tuple(row) for row in connection.execute(seen_since, {"name": "王丽"})] == [(1,)]
