"""Notices own the policy events: the event's ``kind`` (which mixed a type with a reference,
``endorse:SR...``) becomes ``type`` + ``reference``; and the notices made from events, their
deliveries per channel and the customers' choices of channel per notice type.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The old prefixes of ``kind`` and the event types they become.
PREFIXES = (("claim:", "claim_reported"), ("decision:", "claim_decision"), ("payout:", "payout"),
            ("claimdocs:", "claim_documents_requested"), ("docsdue:", "claim_documents_due"),
            ("reissue:", "policy_issued"), ("endorse:", "endorsement"), ("collection:", "collection"))


def upgrade() -> None:
    with op.batch_alter_table('policy_events', schema=None) as batch_op:
        batch_op.drop_constraint('uq_policy_events_policy_id', type_='unique')
        batch_op.alter_column('kind', new_column_name='type', existing_type=sa.String(length=24),
                              type_=sa.String(length=32), existing_nullable=False)
        batch_op.add_column(sa.Column('reference', sa.String(length=40), server_default='', nullable=False))
    events = sa.table('policy_events', sa.column('type', sa.String), sa.column('reference', sa.String))
    for prefix, kind in PREFIXES:
        op.execute(events.update().where(events.c.type.like(prefix + '%')).values(
            reference=sa.func.substr(events.c.type, len(prefix) + 1), type=kind))
    with op.batch_alter_table('policy_events', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_policy_events_policy_id', ['policy_id', 'type', 'reference', 'event_date'])

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('notice_type', sa.String(length=32), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('canonical', sa.LargeBinary(), nullable=False),
    sa.Column('signature', sa.String(length=120), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('read_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.Column('signed_pdf_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_notices_customer_id_customers')),
    sa.ForeignKeyConstraint(['event_id'], ['policy_events.id'], name=op.f('fk_notices_event_id_policy_events')),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_notices_policy_id_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('code', name=op.f('uq_notices_code')),
    sa.UniqueConstraint('event_id', name=op.f('uq_notices_event_id'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_customer_created', ['customer_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_policy_id'), ['policy_id'], unique=False)

    op.create_table('notice_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('provider_id', sa.String(length=120), nullable=True),
    sa.Column('sent_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.Column('print_batch', sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notice_deliveries_notice_id_notices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_deliveries')),
    sa.UniqueConstraint('notice_id', 'channel', name=op.f('uq_notice_deliveries_notice_id'))
    )
    with op.batch_alter_table('notice_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_notice_deliveries_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_deliveries_print_batch'), ['print_batch'], unique=False)

    op.create_table('notice_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('notice_type', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('wanted', sa.Boolean(), nullable=False),
    sa.Column('updated_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_notice_preferences_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_preferences')),
    sa.UniqueConstraint('customer_id', 'notice_type', 'channel', name=op.f('uq_notice_preferences_customer_id'))
    )


def downgrade() -> None:
    op.drop_table('notice_preferences')
    with op.batch_alter_table('notice_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_deliveries_print_batch'))
        batch_op.drop_index('ix_notice_deliveries_due')
    op.drop_table('notice_deliveries')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_policy_id'))
        batch_op.drop_index('ix_notices_customer_created')
    op.drop_table('notices')
    with op.batch_alter_table('policy_events', schema=None) as batch_op:
        batch_op.drop_constraint('uq_policy_events_policy_id', type_='unique')
    events = sa.table('policy_events', sa.column('type', sa.String), sa.column('reference', sa.String))
    for prefix, kind in PREFIXES:
        op.execute(events.update().where(events.c.type == kind).values(type=prefix + events.c.reference))
    with op.batch_alter_table('policy_events', schema=None) as batch_op:
        batch_op.drop_column('reference')
        batch_op.alter_column('type', new_column_name='kind', existing_type=sa.String(length=32),
                              type_=sa.String(length=24), existing_nullable=False)
        batch_op.create_unique_constraint('uq_policy_events_policy_id', ['policy_id', 'kind', 'event_date'])
