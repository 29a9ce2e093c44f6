"""A list passed to a statement: one array on PostgreSQL (one text, so psycopg prepares it
and PostgreSQL plans it once whatever the list's length), an expanding IN on SQLite."""
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from iaas.bulk_rows import one_of

ROWS = Table("rows", MetaData(), Column("id", Integer, primary_key=True), Column("mobile", String(20)))


def _text(dialect_name: str, dialect, ids: list[int]) -> str:
    statement = select(ROWS.c.id).where(one_of(ROWS.c.id, "ids", dialect_name))
    compiled = statement.compile(dialect=dialect)
    # What the driver is given for this list: an expanding IN is rendered anew for its length.
    return compiled.construct_expanded_state({"ids": ids}).statement


def test_on_postgresql_a_list_of_any_length_is_one_statement_text():
    texts = {_text("postgresql", postgresql.psycopg.dialect(), ids) for ids in ([1], [1, 2, 3], list(range(10)))}
    assert len(texts) == 1 and "= ANY (CAST((SELECT %(ids)s::INTEGER[]" in texts.pop()


def test_on_sqlite_the_list_is_an_expanding_in():
    assert _text("sqlite", sqlite.dialect(), [1, 2, 3]).count("?") == 3


def test_on_postgresql_the_array_of_a_string_column_is_not_cut_to_its_length():
    # '+86138000000001234567'::VARCHAR(20) is '+8613800000000123456': it could match a row it is not.
    compiled = select(ROWS.c.id).where(one_of(ROWS.c.mobile, "mobiles", "postgresql")).compile(
        dialect=postgresql.psycopg.dialect())
    assert "::VARCHAR[]" in compiled.string and "VARCHAR(20)" not in compiled.string
