"""The SMS channel: messages received (answered once, by inbound id), the opt-out list, and
the payment links sent by SMS.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbound_id", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("sender", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("command", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("reply_locale", sa.String(length=8), nullable=False),
        sa.Column("received_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inbound_id"),
    )
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_inbound_sender"), ["sender"], unique=False)
        batch_op.create_index(batch_op.f("ix_sms_inbound_customer_id"), ["customer_id"], unique=False)
    op.create_table(
        "sms_opt_outs",
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("opted_out_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.Column("opted_in_at", paas.persistence.UtcDateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("mobile"),
    )
    op.create_table(
        "sms_pay_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("policy_number", sa.String(length=20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", paas.persistence.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nonce"),
    )
    with op.batch_alter_table("sms_pay_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_pay_links_customer_id"), ["customer_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sms_pay_links")
    op.drop_table("sms_opt_outs")
    op.drop_table("sms_inbound")
