"""Refunds that fail after the provider accepted them: why and when, how a person settled
them another way (who, when, a note), finding a refund by the
provider's id (its ``refund.failed`` event names only that), and partial indexes for what
waits for a person (failed refunds, payments in review).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payment_refunds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failure_reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('failed_at', paas.persistence.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', paas.persistence.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resolution_note', sa.String(length=300), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payment_refunds_resolved_by_accounts'), 'accounts', ['resolved_by'], ['id'])
        batch_op.create_index(batch_op.f('ix_payment_refunds_provider_refund_id'), ['provider_refund_id'], unique=False)
        batch_op.create_index('ix_payment_refunds_failed', ['id'], unique=False,
                              postgresql_where=sa.text("status = 'failed'"), sqlite_where=sa.text("status = 'failed'"))

    with op.batch_alter_table('payment_orders', schema=None) as batch_op:
        batch_op.create_index('ix_payment_orders_needs_review', ['id'], unique=False,
                              postgresql_where=sa.text("status = 'needs_review'"),
                              sqlite_where=sa.text("status = 'needs_review'"))


def downgrade() -> None:
    with op.batch_alter_table('payment_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_orders_needs_review')

    with op.batch_alter_table('payment_refunds', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_refunds_failed')
        batch_op.drop_index(batch_op.f('ix_payment_refunds_provider_refund_id'))
        batch_op.drop_constraint(batch_op.f('fk_payment_refunds_resolved_by_accounts'), type_='foreignkey')
        batch_op.drop_column('resolution_note')
        batch_op.drop_column('resolved_by')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('failure_reason')
