"""Servicing: requests from submission to their end, uploaded documents, fund orders at the
next unit price; notice preferences on customers; payment method, a pending premium mode
and the future fund allocation on policies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('object_key', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_documents_customer_id_customers')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['accounts.id'], name=op.f('fk_documents_uploaded_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('reference', name=op.f('uq_documents_reference'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_subject'), ['subject'], unique=False)

    op.create_table('fund_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('request_reference', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('fund_code', sa.String(length=8), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('units', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('trade_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('executed_units', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('executed_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('executed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_fund_orders_policy_id_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_orders'))
    )
    with op.batch_alter_table('fund_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_orders_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_orders_request_reference'), ['request_reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_orders_status'), ['status'], unique=False)

    op.create_table('service_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('inputs', sa.Text(), nullable=False),
    sa.Column('preview', sa.Text(), nullable=False),
    sa.Column('conflict_groups', sa.String(length=80), nullable=False),
    sa.Column('submitted_by', sa.Integer(), nullable=False),
    sa.Column('on_behalf', sa.Boolean(), nullable=False),
    sa.Column('step_up', sa.String(length=8), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('code_sent_to', sa.String(length=20), nullable=True),
    sa.Column('code_expires_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.Column('code_attempts', sa.Integer(), nullable=False),
    sa.Column('review_queue', sa.String(length=16), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.String(length=300), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('applied_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_service_requests_customer_id_customers')),
    sa.ForeignKeyConstraint(['decided_by'], ['accounts.id'], name=op.f('fk_service_requests_decided_by_accounts')),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_service_requests_policy_id_policies')),
    sa.ForeignKeyConstraint(['submitted_by'], ['accounts.id'], name=op.f('fk_service_requests_submitted_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_requests')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_service_requests_idempotency_key')),
    sa.UniqueConstraint('reference', name=op.f('uq_service_requests_reference'))
    )
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_requests_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_by_email', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('notice_by_sms', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('notice_on_paper', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_method', sa.String(length=16), server_default='bank_debit', nullable=False))
        batch_op.add_column(sa.Column('debit_bank_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('next_premium_mode', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('fund_allocation', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_policies_debit_bank_account_id_bank_accounts'), 'bank_accounts', ['debit_bank_account_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_policies_debit_bank_account_id_bank_accounts'), type_='foreignkey')
        batch_op.drop_column('fund_allocation')
        batch_op.drop_column('next_premium_mode')
        batch_op.drop_column('debit_bank_account_id')
        batch_op.drop_column('payment_method')

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('notice_on_paper')
        batch_op.drop_column('notice_by_sms')
        batch_op.drop_column('notice_by_email')

    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_requests_status'))
        batch_op.drop_index(batch_op.f('ix_service_requests_policy_id'))
        batch_op.drop_index(batch_op.f('ix_service_requests_kind'))
        batch_op.drop_index(batch_op.f('ix_service_requests_customer_id'))

    op.drop_table('service_requests')
    with op.batch_alter_table('fund_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_orders_status'))
        batch_op.drop_index(batch_op.f('ix_fund_orders_request_reference'))
        batch_op.drop_index(batch_op.f('ix_fund_orders_policy_id'))

    op.drop_table('fund_orders')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_subject'))
        batch_op.drop_index(batch_op.f('ix_documents_customer_id'))

    op.drop_table('documents')
