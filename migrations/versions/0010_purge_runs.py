"""retention purge: when the last purge ran to its end

Revision ID: 0010_purge_runs
Revises: 0009_codes_kept
Create Date: 2026-11-29 21:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_purge_runs'
down_revision = '0009_codes_kept'
branch_labels = None
depends_on = None


def upgrade():
    # One row at most (id 1), updated by each completed purge; empty until the first.
    op.create_table('purge_runs',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade():
    op.drop_table('purge_runs')
