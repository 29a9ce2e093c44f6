"""Safety of payees (issue 10): when a bank account was verified (a payout to one added
lately and never verified is held), a servicing request's second code for a new contact and
the time a held payout goes, and a customer's freeze of online money movements.

Accounts already on file count as old: they are marked verified when they were added.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bank_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', paas.persistence.UtcDateTime(timezone=True), nullable=True))
    op.execute("UPDATE bank_accounts SET verified_at = created_at")

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('money_frozen_at', paas.persistence.UtcDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('contact_code_sent_to', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('hold_until', paas.persistence.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_column('hold_until')
        batch_op.drop_column('contact_code_sent_to')
        batch_op.drop_column('contact_code_hash')

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('money_frozen_at')

    with op.batch_alter_table('bank_accounts', schema=None) as batch_op:
        batch_op.drop_column('verified_at')
