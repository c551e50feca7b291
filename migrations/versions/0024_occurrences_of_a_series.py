"""occurrences: an index for a series' own meetings still to come

ix_occurrences_series on (event_id, is_cancelled, starts_at): a meeting's page counts the
series' meetings still taking RSVPs (events/finding.py: series_counts) from a range of
this index. Without it SQLite, with no statistics, read every upcoming meeting of every
event (ix_occurrences_upcoming) for one series: 0.4 ms at 5,000 meetings, growing with
the site (issue 17, item 3).

Revision ID: 0024_occurrences_of_a_series
Revises: 0023_programs_open_first
Create Date: 2026-11-30 19:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_occurrences_of_a_series'
down_revision = '0023_programs_open_first'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_occurrences_series',
        'occurrences',
        ['event_id', 'is_cancelled', 'starts_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_occurrences_series', table_name='occurrences')
