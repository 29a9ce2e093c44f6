"""The card that paid an online payment: its last four digits, as the provider shows them,
for the receipt; known from the moment the customer comes back from the checkout, so the
waiting page no longer offers to cancel a payment the card was accepted for.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payment_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_last4', sa.String(length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('payment_orders', schema=None) as batch_op:
        batch_op.drop_column('card_last4')
