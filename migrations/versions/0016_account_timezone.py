"""accounts: a time zone of the member's own choosing (optional)

Meetings are grouped by day in it; empty, the site's time zone is used. A time zone
hints at where someone lives, so it is part of the export and goes with the account.

Revision ID: 0016_account_timezone
Revises: 0015_monthly_counts
Create Date: 2026-11-30 14:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_account_timezone"
down_revision = "0015_monthly_counts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("timezone")
