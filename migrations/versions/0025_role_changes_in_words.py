"""audit_entries: a role change's detail reads as words, "staff to member"

The audit log showed a role change as "staff -> member"; advocacy/staff/roles.py now
writes "staff to member". Entries already written are worded the same way, so the log
(and a member's data export) says one thing. Downgrade gives back the arrow.

Revision ID: 0025_role_changes_in_words
Revises: 0024_occurrences_of_a_series
Create Date: 2026-12-01 02:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025_role_changes_in_words'
down_revision = '0024_occurrences_of_a_series'
branch_labels = None
depends_on = None


def reword(old: str, new: str) -> None:
    """Replace `old` by `new` in every role change's detail (replace(): SQLite and PostgreSQL)."""
    op.execute(
        sa.text(
            "UPDATE audit_entries SET detail = replace(detail, :old, :new)"
            " WHERE action = 'role_changed'"
        ).bindparams(old=old, new=new)
    )


def upgrade():
    reword(' -> ', ' to ')


def downgrade():
    reword(' to ', ' -> ')
