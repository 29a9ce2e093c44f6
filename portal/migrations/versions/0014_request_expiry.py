"""Requests that end: how many new codes a request was sent (at most three); and a
customer's address in its parts (province, city, district, street, postcode) beside the
one display string the notices and pages use.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

ADDRESS_PARTS = (("address_province", 40), ("address_city", 40), ("address_district", 40),
                 ("address_street", 200), ("address_postcode", 6))


def upgrade() -> None:
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_resends', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('customers', schema=None) as batch_op:
        for name, length in ADDRESS_PARTS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        for name, _ in reversed(ADDRESS_PARTS):
            batch_op.drop_column(name)
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_column('code_resends')
