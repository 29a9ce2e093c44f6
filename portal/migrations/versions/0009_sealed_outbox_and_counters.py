"""One-time codes sealed apart from the outbox text (erased once delivered), with the codes
already stored in clear masked; sign-in counters every worker shares.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_CODE = re.compile(r"\b\d{6}\b")


def upgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_secrets', sa.Text(), nullable=True))

    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('window_ends_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name='pk_rate_limit_counters')
    )

    # Codes sent before this revision sit in the text in clear: they are masked for good.
    messages = sa.table('outbox_messages', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                        sa.column('body', sa.Text))
    connection = op.get_bind()
    rows = connection.execute(sa.select(messages.c.id, messages.c.body).where(messages.c.kind == 'servicing_code'))
    for message_id, body in rows.all():
        connection.execute(messages.update().where(messages.c.id == message_id).values(body=_CODE.sub('••••••', body)))


def downgrade() -> None:
    op.drop_table('rate_limit_counters')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('sealed_secrets')
