"""A delivery's print batch indexed only where it is set (paper letters once printed): the
cycle's notices plan a hundred thousand deliveries a night, none of them printed yet.

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0022"
branch_labels = None
depends_on = None

SET = sa.text("print_batch IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('notice_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_deliveries_print_batch')
        batch_op.create_index('ix_notice_deliveries_print_batch', ['print_batch'], unique=False,
                              postgresql_where=SET, sqlite_where=SET)


def downgrade() -> None:
    with op.batch_alter_table('notice_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_deliveries_print_batch')
        batch_op.create_index('ix_notice_deliveries_print_batch', ['print_batch'], unique=False)
