"""Opening online service: one-time codes for each purpose, known devices, and the account's
tier (what verified the person and their card) with the e-mail awaiting its link and the
customer's recovery codes. Accounts that exist were opened by staff who checked the ID and
the card at the counter: they start as Transact, said so ("counter").

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identity_verified_at", paas.persistence.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("identity_verified_by", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("card_verified_at", paas.persistence.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("card_verified_by", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("pending_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("recovery_codes", sa.String(length=1000), nullable=True))
    op.execute(
        "UPDATE accounts SET identity_verified_at = created_at, identity_verified_by = 'counter', "
        "card_verified_at = created_at, card_verified_by = 'counter' WHERE customer_id IS NOT NULL"
    )
    op.create_table(
        "one_time_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sent_to", sa.String(length=254), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", paas.persistence.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("handle"),
    )
    op.create_index("ix_one_time_codes_account_id", "one_time_codes", ["account_id"])
    op.create_index("ix_one_time_codes_customer_id", "one_time_codes", ["customer_id"])
    op.create_table(
        "known_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_known_devices_account_id", "known_devices", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_known_devices_account_id", table_name="known_devices")
    op.drop_table("known_devices")
    op.drop_index("ix_one_time_codes_customer_id", table_name="one_time_codes")
    op.drop_index("ix_one_time_codes_account_id", table_name="one_time_codes")
    op.drop_table("one_time_codes")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        for column in ("recovery_codes", "pending_email", "card_verified_by", "card_verified_at",
                       "identity_verified_by", "identity_verified_at"):
            batch_op.drop_column(column)
