"""recovery codes: whether the member said they kept the codes last shown

Revision ID: 0009_codes_kept
Revises: 0008_pseudonym_skeleton
Create Date: 2026-11-29 16:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_codes_kept'
down_revision = '0008_pseudonym_skeleton'
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts' codes were shown (and could be kept) before this column existed.
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recovery_codes_kept', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('recovery_codes_kept')
