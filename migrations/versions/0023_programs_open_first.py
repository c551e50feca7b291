"""programs: an index that lists open programs first, then the rest, each soonest first

ix_programs_open_first on ((status <> 'open'), starts_on, id): the program list reads
open programs (false sorts first), then every other, from a range of this index and in
its order, never sorting every program ever run (issue 17, item 3). The expression is
written exactly as advocacy/programs/catalog.py's list query says it.

Revision ID: 0023_programs_open_first
Revises: 0022_program_sessions
Create Date: 2026-11-30 19:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023_programs_open_first"
down_revision = "0022_program_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_programs_open_first",
        "programs",
        [sa.text("(status <> 'open')"), "starts_on", "id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_programs_open_first", table_name="programs")
