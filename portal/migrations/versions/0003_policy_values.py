"""Policy values: loans, dividends, money held for policies, unit-linked funds; one term
product (TERM) with 10/20/30-year terms instead of TERM20.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)


def upgrade() -> None:
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dividend_option", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("paid_up_sum_assured", MONEY, nullable=True))
        batch_op.add_column(sa.Column("paid_up_additions", MONEY, nullable=False, server_default="0"))
    op.create_table(
        "policy_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("created_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_policy_ledger_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_ledger")),
        sa.UniqueConstraint("reference", name=op.f("uq_policy_ledger_reference")),
    )
    op.create_index(op.f("ix_policy_ledger_policy_id"), "policy_ledger", ["policy_id"], unique=False)
    op.create_table(
        "policy_loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("principal", MONEY, nullable=False),
        sa.Column("interest_rate", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("interest_to", sa.Date(), nullable=False),
        sa.Column("balance", MONEY, nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_policy_loans_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_loans")),
    )
    op.create_index(op.f("ix_policy_loans_policy_id"), "policy_loans", ["policy_id"], unique=False)
    op.create_index(
        "uq_policy_loans_one_open", "policy_loans", ["policy_id"], unique=True,
        postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "dividend_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("policy_year", sa.Integer(), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("option", sa.String(length=20), nullable=False),
        sa.Column("created_at", paas.persistence.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_dividend_declarations_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dividend_declarations")),
        sa.UniqueConstraint("policy_id", "policy_year", name=op.f("uq_dividend_declarations_policy_id")),
    )
    op.create_table(
        "fund_prices",
        sa.Column("fund_code", sa.String(length=8), nullable=False),
        sa.Column("price_date", sa.Date(), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.PrimaryKeyConstraint("fund_code", "price_date", name=op.f("pk_fund_prices")),
    )
    op.create_table(
        "fund_holdings",
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("fund_code", sa.String(length=8), nullable=False),
        sa.Column("units", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_fund_holdings_policy_id_policies")),
        sa.PrimaryKeyConstraint("policy_id", "fund_code", name=op.f("pk_fund_holdings")),
    )
    # The term product now offers 10, 20 and 30 years under one code.
    op.execute("UPDATE products SET code = 'TERM' WHERE code = 'TERM20' AND version = 1")


def downgrade() -> None:
    op.execute("UPDATE products SET code = 'TERM20' WHERE code = 'TERM' AND version = 1")
    op.drop_table("fund_holdings")
    op.drop_table("fund_prices")
    op.drop_table("dividend_declarations")
    op.drop_index("uq_policy_loans_one_open", table_name="policy_loans")
    op.drop_index(op.f("ix_policy_loans_policy_id"), table_name="policy_loans")
    op.drop_table("policy_loans")
    op.drop_index(op.f("ix_policy_ledger_policy_id"), table_name="policy_ledger")
    op.drop_table("policy_ledger")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("paid_up_additions")
        batch_op.drop_column("paid_up_sum_assured")
        batch_op.drop_column("dividend_option")
