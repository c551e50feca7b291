"""double submits: the keyed hash of each sent form's mark, kept a day

Revision ID: 0011_sent_forms
Revises: 0010_purge_runs
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_sent_forms'
down_revision = '0010_purge_runs'
branch_labels = None
depends_on = None


def upgrade():
    # One row per form acted on (advocacy/once.py): no account, no form contents.
    op.create_table('sent_forms',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key_hash')
    )
    with op.batch_alter_table('sent_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_forms_sent_at'), ['sent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sent_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_forms_sent_at'))
    op.drop_table('sent_forms')
