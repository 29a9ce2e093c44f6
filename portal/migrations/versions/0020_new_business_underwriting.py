"""New business: applications, the underwriters' steps on them, the evidence they ask for.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 12:04:54.584842
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paas.persistence

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('insured_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('product_code', sa.String(length=32), nullable=False),
    sa.Column('product_version', sa.Integer(), nullable=False),
    sa.Column('sum_assured', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('term_years', sa.Integer(), nullable=True),
    sa.Column('premium_term', sa.String(length=12), nullable=True),
    sa.Column('premium_mode', sa.String(length=12), nullable=True),
    sa.Column('modal_premium', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('rulebook_version', sa.Integer(), nullable=True),
    sa.Column('rule_outcome', sa.String(length=8), nullable=True),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=True),
    sa.Column('extra_premium_pct', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('offered_premium', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('exclusion', sa.String(length=500), nullable=True),
    sa.Column('told_reason', sa.String(length=500), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('policy_id', sa.Integer(), nullable=True),
    sa.Column('payment_order_id', sa.Integer(), nullable=True),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.Column('first_submitted_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.Column('issued_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_applications_account_id_accounts')),
    sa.ForeignKeyConstraint(['decided_by'], ['accounts.id'], name=op.f('fk_applications_decided_by_accounts')),
    sa.ForeignKeyConstraint(['insured_id'], ['customers.id'], name=op.f('fk_applications_insured_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['customers.id'], name=op.f('fk_applications_owner_id_customers')),
    sa.ForeignKeyConstraint(['payment_order_id'], ['payment_orders.id'], name=op.f('fk_applications_payment_order_id_payment_orders')),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_applications_policy_id_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('reference', name=op.f('uq_applications_reference'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_insured_id'), ['insured_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_payment_order_id'), ['payment_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index('ix_applications_status_submitted', ['status', 'submitted_at'], unique=False)

    op.create_table('evidence_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('slots', sa.Text(), nullable=False),
    sa.Column('booked_slot', sa.String(length=32), nullable=True),
    sa.Column('document_reference', sa.String(length=24), nullable=True),
    sa.Column('asked_by', sa.Integer(), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', paas.persistence.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_evidence_requests_application_id_applications')),
    sa.ForeignKeyConstraint(['asked_by'], ['accounts.id'], name=op.f('fk_evidence_requests_asked_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_requests'))
    )
    with op.batch_alter_table('evidence_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_requests_application_id'), ['application_id'], unique=False)

    op.create_table('underwriting_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('underwriter_id', sa.Integer(), nullable=False),
    sa.Column('authority_level', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=False),
    sa.Column('extra_premium_pct', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('exclusion', sa.String(length=500), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('awaiting_second', sa.Boolean(), nullable=False),
    sa.Column('created_at', paas.persistence.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_underwriting_steps_application_id_applications')),
    sa.ForeignKeyConstraint(['underwriter_id'], ['accounts.id'], name=op.f('fk_underwriting_steps_underwriter_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_underwriting_steps'))
    )
    with op.batch_alter_table('underwriting_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_underwriting_steps_application_id'), ['application_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('underwriting_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_underwriting_steps_application_id'))

    op.drop_table('underwriting_steps')
    with op.batch_alter_table('evidence_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_requests_application_id'))

    op.drop_table('evidence_requests')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_status_submitted')
        batch_op.drop_index(batch_op.f('ix_applications_policy_id'))
        batch_op.drop_index(batch_op.f('ix_applications_payment_order_id'))
        batch_op.drop_index(batch_op.f('ix_applications_owner_id'))
        batch_op.drop_index(batch_op.f('ix_applications_insured_id'))
        batch_op.drop_index(batch_op.f('ix_applications_account_id'))

    op.drop_table('applications')

