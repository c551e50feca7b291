"""mentor pathway: an eligible member's answer, and the guide a new mentor sees first

Revision ID: 0013_mentor_pathway
Revises: 0012_hosts
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_mentor_pathway'
down_revision = '0012_hosts'
branch_labels = None
depends_on = None


def upgrade():
    # NULL until the member answers: nobody has said anything yet.
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_mentor_interested', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('is_new_mentor', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_accounts_mentor_eligible_role', ['is_mentor_eligible', 'role'], unique=False)


def downgrade():
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_accounts_mentor_eligible_role')
        batch_op.drop_column('is_new_mentor')
        batch_op.drop_column('is_mentor_interested')
