"""A policy's ledger indexed by policy and account, its amounts included: a balance (read at
every withdrawal, every valuation) comes from the index alone on PostgreSQL, instead of
visiting every entry of the policy, of both accounts. It replaces the index on the policy alone.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("policy_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_policy_ledger_policy_account", ["policy_id", "account"], unique=False,
                              postgresql_include=["amount"])
        batch_op.drop_index("ix_policy_ledger_policy_id")


def downgrade() -> None:
    with op.batch_alter_table("policy_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_policy_ledger_policy_id", ["policy_id"], unique=False)
        batch_op.drop_index("ix_policy_ledger_policy_account")
