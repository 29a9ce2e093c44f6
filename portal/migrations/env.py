"""Alembic environment. The connection comes from ``portal.migrate`` (never from an ini file),
so the same migrations run on the embedded SQLite file, PostgreSQL and the test databases."""
from __future__ import annotations

from alembic import context

from paas.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
