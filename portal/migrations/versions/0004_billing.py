"""Renewal billing and online payment: payment orders and their items, refunds, webhook
events, policy events for notices, the nightly cycle's progress; automatic premium loan on
policies; the premium ledger's kind and reference.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cycle_runs',
    sa.Column('run_date', sa.Date(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('partition', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('last_key', sa.BigInteger(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('started_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('run_date', 'step', 'partition', name=op.f('pk_cycle_runs'))
    )
    op.create_table('webhook_events',
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.Column('provider', sa.String(length=12), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('order_reference', sa.String(length=24), nullable=True),
    sa.Column('received_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_webhook_events'))
    )
    op.create_table('payment_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider', sa.String(length=12), nullable=False),
    sa.Column('provider_session_id', sa.String(length=255), nullable=True),
    sa.Column('provider_payment_id', sa.String(length=255), nullable=True),
    sa.Column('checkout_url', sa.String(length=1000), nullable=True),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('failure_reason', sa.String(length=200), nullable=True),
    sa.Column('refunded_amount', sa.Numeric(precision=14, scale=2), server_default='0', nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_payment_orders_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_orders')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payment_orders_idempotency_key')),
    sa.UniqueConstraint('provider_session_id', name=op.f('uq_payment_orders_provider_session_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_payment_orders_reference'))
    )
    with op.batch_alter_table('payment_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_orders_customer_id'), ['customer_id'], unique=False)

    op.create_table('payment_order_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['payment_orders.id'], name=op.f('fk_payment_order_items_order_id_payment_orders')),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_payment_order_items_policy_id_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_order_items'))
    )
    with op.batch_alter_table('payment_order_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_order_items_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_order_items_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index('uq_payment_order_items_active_due', ['policy_id', 'due_date'], unique=True, postgresql_where=sa.text('active'), sqlite_where=sa.text('active'))

    op.create_table('payment_refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('provider_refund_id', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['payment_orders.id'], name=op.f('fk_payment_refunds_order_id_payment_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_refunds')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payment_refunds_idempotency_key'))
    )
    with op.batch_alter_table('payment_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_refunds_order_id'), ['order_id'], unique=False)

    op.create_table('policy_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_policy_events_policy_id_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_events')),
    sa.UniqueConstraint('policy_id', 'kind', 'event_date', name=op.f('uq_policy_events_policy_id'))
    )
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('automatic_premium_loan', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('premium_payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=12), server_default='payment', nullable=False))
        batch_op.add_column(sa.Column('reference', sa.String(length=80), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('premium_payments', schema=None) as batch_op:
        batch_op.drop_column('reference')
        batch_op.drop_column('kind')

    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.drop_column('automatic_premium_loan')

    op.drop_table('policy_events')
    with op.batch_alter_table('payment_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_refunds_order_id'))

    op.drop_table('payment_refunds')
    with op.batch_alter_table('payment_order_items', schema=None) as batch_op:
        batch_op.drop_index('uq_payment_order_items_active_due', postgresql_where=sa.text('active'), sqlite_where=sa.text('active'))
        batch_op.drop_index(batch_op.f('ix_payment_order_items_policy_id'))
        batch_op.drop_index(batch_op.f('ix_payment_order_items_order_id'))

    op.drop_table('payment_order_items')
    with op.batch_alter_table('payment_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_orders_customer_id'))

    op.drop_table('payment_orders')
    op.drop_table('webhook_events')
    op.drop_table('cycle_runs')
