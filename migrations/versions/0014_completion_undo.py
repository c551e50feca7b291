"""completion can be undone: whether a leadership completion's mentor eligibility came
from elsewhere

False for every existing enrollment: completions recorded before this migration set
eligibility themselves, as far as anyone can tell now.

Revision ID: 0014_completion_undo
Revises: 0013_mentor_pathway
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_completion_undo'
down_revision = '0013_mentor_pathway'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mentor_eligible_elsewhere', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_column('mentor_eligible_elsewhere')
