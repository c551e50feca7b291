"""who runs programs and events: their creators and co-hosts

Each program's creator hosts it; each event that belongs to no program is hosted by
its creator. A program's meetings get no hosts of their own: whoever scheduled them,
the program's hosts run them (advocacy/events/hosts.py). A creator whose account is
gone (created_by_id NULL) hosts nothing: such programs and events are run by admins
until an admin adds a host.

Revision ID: 0012_hosts
Revises: 0011_sent_forms
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_hosts'
down_revision = '0011_sent_forms'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('program_hosts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('program_id', 'account_id', name='uq_program_hosts_program_account')
    )
    with op.batch_alter_table('program_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_hosts_account_id'), ['account_id'], unique=False)

    op.create_table('event_hosts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'account_id', name='uq_event_hosts_event_account')
    )
    with op.batch_alter_table('event_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_hosts_account_id'), ['account_id'], unique=False)

    # Backfill in plain INSERT … SELECT (the same on SQLite and PostgreSQL), in id order.
    op.execute(
        'INSERT INTO program_hosts (program_id, account_id)'
        ' SELECT id, created_by_id FROM programs WHERE created_by_id IS NOT NULL ORDER BY id'
    )
    op.execute(
        'INSERT INTO event_hosts (event_id, account_id)'
        ' SELECT id, created_by_id FROM events'
        ' WHERE created_by_id IS NOT NULL AND program_id IS NULL ORDER BY id'
    )


def downgrade():
    with op.batch_alter_table('event_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_hosts_account_id'))
    op.drop_table('event_hosts')
    with op.batch_alter_table('program_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_hosts_account_id'))
    op.drop_table('program_hosts')
