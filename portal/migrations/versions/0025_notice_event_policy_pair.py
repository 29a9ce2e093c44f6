"""A notice's event and policy checked as one pair: one foreign key (event_id, policy_id) to
the events' (id, policy_id) instead of one to the events and one to the policies, and both set
or both not (an account notice has neither). The cycle writes a hundred thousand notices a
night, each paying every key check; the pair also holds the notice's policy to its event's.

Run it outside the night's cycle: in the one transaction of an upgrade it holds the notices' and
the events' locks while the unique index is built and the notices are checked against it.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.migrate import MigrationRefused

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


# Notices the new checks would refuse: only one of event and policy, or another policy than the event's.
_STRAY = sa.text("""
    SELECT count(*) FROM notices LEFT JOIN policy_events ON policy_events.id = notices.event_id
    WHERE (notices.event_id IS NULL) <> (notices.policy_id IS NULL)
       OR policy_events.policy_id <> notices.policy_id
""")


def upgrade() -> None:
    stray = op.get_bind().execute(_STRAY).scalar()
    if stray:
        raise MigrationRefused(f"migration 0025: {stray} notices name only one of event and policy, or a policy "
                           "other than their event's; mend them first (nothing has been changed)")
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
