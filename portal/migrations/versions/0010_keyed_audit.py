"""Keyed audit links: each entry names the key ring's MAC key that made its hash.

Entries written before this have no key id and a plain SHA-256 link. They are not re-chained
here: a migration cannot reach the key ring, and rewriting the append-only log would mean
lifting its guards. Verification accepts such legacy entries only before the first keyed entry
(whose MAC covers the last legacy hash, so none of them can change unnoticed) and, once a
signed checkpoint exists, only up to the last legacy entry it records.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (not batch mode): on SQLite a batch would copy the table and drop its
    # append-only triggers.
    op.add_column('audit_log', sa.Column('key_id', sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE audit_log DROP COLUMN key_id")  # both dialects; keeps the triggers
