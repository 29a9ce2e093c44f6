"""External accounts: bank, securities, fund and pension accounts held elsewhere, for the
net-worth view of the asset sheet (一账通).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('external_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('institution', sa.String(length=60), nullable=True),
    sa.Column('balance', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_external_accounts_balance_not_negative')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_external_accounts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_accounts')),
    sa.UniqueConstraint('reference', name=op.f('uq_external_accounts_reference'))
    )
    with op.batch_alter_table('external_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_accounts_customer_id'), ['customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('external_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_accounts_customer_id'))

    op.drop_table('external_accounts')
