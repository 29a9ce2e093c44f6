"""A notice's event and policy checked as one pair: one foreign key (event_id, policy_id) to
the events' (id, policy_id) instead of one to the events and one to the policies, and both set
or both not (an account notice has neither). The cycle writes a hundred thousand notices a
night, each paying every key check; the pair also holds the notice's policy to its event's.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('policy_events', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_policy_events_id'), ['id', 'policy_id'])
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notices_event_id_policy_events'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_notices_policy_id_policies'), type_='foreignkey')
        batch_op.create_check_constraint(batch_op.f('ck_notices_event_and_policy'), '(event_id IS NULL) = (policy_id IS NULL)')
        batch_op.create_foreign_key(batch_op.f('fk_notices_event_id_policy_events'), 'policy_events',
                                    ['event_id', 'policy_id'], ['id', 'policy_id'])


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notices_event_id_policy_events'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_notices_event_and_policy'), type_='check')
        batch_op.create_foreign_key(batch_op.f('fk_notices_policy_id_policies'), 'policies', ['policy_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_notices_event_id_policy_events'), 'policy_events', ['event_id'], ['id'])
    with op.batch_alter_table('policy_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_policy_events_id'), type_='unique')
