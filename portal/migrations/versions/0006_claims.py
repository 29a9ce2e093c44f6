"""Claims: reported claims with their timeline, approvals (four eyes above an adjuster's
authority) and the single payment each may make.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('incident_date', sa.Date(), nullable=False),
    sa.Column('facts_cipher', sa.Text(), nullable=False),
    sa.Column('claimant_name', sa.String(length=60), nullable=False),
    sa.Column('payee_bank_account_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('benefit', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('approved_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('decision_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_claims_customer_id_customers')),
    sa.ForeignKeyConstraint(['payee_bank_account_id'], ['bank_accounts.id'], name=op.f('fk_claims_payee_bank_account_id_bank_accounts')),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_claims_policy_id_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('reference', name=op.f('uq_claims_reference'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_status'), ['status'], unique=False)

    op.create_table('claim_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=False),
    sa.Column('authority_level', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('approved_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approver_id'], ['accounts.id'], name=op.f('fk_claim_approvals_approver_id_accounts')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_approvals_claim_id_claims')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_approvals')),
    sa.UniqueConstraint('claim_id', 'approver_id', name=op.f('uq_claim_approvals_claim_id'))
    )
    with op.batch_alter_table('claim_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_approvals_claim_id'), ['claim_id'], unique=False)

    op.create_table('claim_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('occurred_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_events_claim_id_claims')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_events'))
    )
    with op.batch_alter_table('claim_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_events_claim_id'), ['claim_id'], unique=False)

    op.create_table('claim_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('bank_account_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_account_id'], ['bank_accounts.id'], name=op.f('fk_claim_payments_bank_account_id_bank_accounts')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_payments_claim_id_claims')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_payments')),
    sa.UniqueConstraint('claim_id', name=op.f('uq_claim_payments_claim_id'))
    )


def downgrade() -> None:
    op.drop_table('claim_payments')
    with op.batch_alter_table('claim_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_events_claim_id'))

    op.drop_table('claim_events')
    with op.batch_alter_table('claim_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_approvals_claim_id'))

    op.drop_table('claim_approvals')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_status'))
        batch_op.drop_index(batch_op.f('ix_claims_policy_id'))
        batch_op.drop_index(batch_op.f('ix_claims_customer_id'))

    op.drop_table('claims')
