"""reports: monthly counts, backfilled from the rows that exist now

The counts table holds no person: how many times each measure happened per month (in the
site's time zone, config DEFAULT_TIMEZONE) and program. From now on each service counts
as things happen; this backfill counts what the rows kept so far still show:

- requests and waits: each enrollment, in the month it was made; places given: each
  confirmed one, in that month (approved later or not: the date of approval is not kept);
  completions in the month of completed_on;
- places and completions already purged (programs.enrolled_count, completed_count): in
  the month the program started (places) and ended (completions);
- meetings held and attendance: a meeting with attendance recorded for anyone (or a kept
  attended_count), in the month it started; RSVPs to events outside programs, in the
  month they were made;
- joining (accounts.created_at), stories sent for review (their last sending) and
  published, reports filed and decided (with their outcome).

Rows already deleted (declined or withdrawn requests, purged RSVPs, deleted accounts) are
not known and not counted.

Revision ID: 0015_monthly_counts
Revises: 0014_completion_undo
Create Date: 2026-12-02 10:00:00

"""
from collections import Counter
from datetime import date

from alembic import op
from flask import current_app
import sqlalchemy as sa
from zoneinfo import ZoneInfo

from advocacy.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0015_monthly_counts'
down_revision = '0014_completion_undo'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monthly_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('monthly_counts', schema=None) as batch_op:
        batch_op.create_index('uq_monthly_counts_program', ['month', 'program_id', 'measure'], unique=True, sqlite_where=sa.text('program_id IS NOT NULL'), postgresql_where=sa.text('program_id IS NOT NULL'))
        batch_op.create_index('uq_monthly_counts_site', ['month', 'measure'], unique=True, sqlite_where=sa.text('program_id IS NULL'), postgresql_where=sa.text('program_id IS NULL'))
    backfill(op.get_bind(), current_app.config['DEFAULT_TIMEZONE'])


def downgrade():
    with op.batch_alter_table('monthly_counts', schema=None) as batch_op:
        batch_op.drop_index('uq_monthly_counts_site', sqlite_where=sa.text('program_id IS NULL'), postgresql_where=sa.text('program_id IS NULL'))
        batch_op.drop_index('uq_monthly_counts_program', sqlite_where=sa.text('program_id IS NOT NULL'), postgresql_where=sa.text('program_id IS NOT NULL'))
    op.drop_table('monthly_counts')


# The tables as they stand at 0014, only the columns read here.
accounts = sa.table('accounts', sa.column('created_at', UTCDateTime()))
programs = sa.table(
    'programs',
    sa.column('id', sa.Integer),
    sa.column('starts_on', sa.Date),
    sa.column('ends_on', sa.Date),
    sa.column('enrolled_count', sa.Integer),
    sa.column('completed_count', sa.Integer),
)
enrollments = sa.table(
    'enrollments',
    sa.column('program_id', sa.Integer),
    sa.column('status', sa.String),
    sa.column('completed_on', sa.Date),
    sa.column('created_at', UTCDateTime()),
)
events = sa.table('events', sa.column('id', sa.Integer), sa.column('program_id', sa.Integer))
occurrences = sa.table(
    'occurrences',
    sa.column('id', sa.Integer),
    sa.column('event_id', sa.Integer),
    sa.column('starts_at', UTCDateTime()),
    sa.column('attended_count', sa.Integer),
)
rsvps = sa.table(
    'rsvps',
    sa.column('occurrence_id', sa.Integer),
    sa.column('attended', sa.Boolean),
    sa.column('created_at', UTCDateTime()),
)
stories = sa.table(
    'stories',
    sa.column('submitted_at', UTCDateTime()),
    sa.column('published_at', UTCDateTime()),
)
story_reports = sa.table(
    'story_reports',
    sa.column('created_at', UTCDateTime()),
    sa.column('resolved_at', UTCDateTime()),
    sa.column('outcome', sa.String),
)
monthly_counts = sa.table(
    'monthly_counts',
    sa.column('month', sa.Date),
    sa.column('program_id', sa.Integer),
    sa.column('measure', sa.String),
    sa.column('count', sa.Integer),
)


def backfill(connection, zone: str) -> None:
    """Count what the existing rows show (see the module's docstring); insert the sums."""
    counts = Counter()

    def month(moment) -> date:
        # The site's calendar, as advocacy.clock.local_date (a migration keeps its own).
        day = moment if type(moment) is date else moment.astimezone(ZoneInfo(zone)).date()
        return day.replace(day=1)

    def add(measure, program_id, moment, by=1):
        if measure and by:
            counts[month(moment), program_id, measure] += by

    for program_id, status, completed_on, created_at in connection.execute(
        sa.select(
            enrollments.c.program_id,
            enrollments.c.status,
            enrollments.c.completed_on,
            enrollments.c.created_at,
        )
    ):
        add('requested', program_id, created_at)
        add({'confirmed': 'place_given', 'waitlisted': 'waitlisted'}.get(status), program_id, created_at)
        if completed_on is not None:
            add('completed', program_id, completed_on)
    for program_id, starts_on, ends_on, enrolled, completed in connection.execute(
        sa.select(
            programs.c.id,
            programs.c.starts_on,
            programs.c.ends_on,
            programs.c.enrolled_count,
            programs.c.completed_count,
        )
    ):
        add('requested', program_id, starts_on, enrolled)
        add('place_given', program_id, starts_on, enrolled)
        add('completed', program_id, ends_on, completed)

    recorded = Counter()  # occurrence id -> how many RSVPs have attendance recorded
    came = Counter()
    for occurrence_id, attended, created_at, program_id in connection.execute(
        sa.select(
            rsvps.c.occurrence_id, rsvps.c.attended, rsvps.c.created_at, events.c.program_id
        )
        .select_from(rsvps)
        .join(occurrences, occurrences.c.id == rsvps.c.occurrence_id)
        .join(events, events.c.id == occurrences.c.event_id)
    ):
        if program_id is None:
            add('rsvp', None, created_at)
        recorded[occurrence_id] += attended is not None
        came[occurrence_id] += attended is True
    for occurrence_id, starts_at, kept, program_id in connection.execute(
        sa.select(
            occurrences.c.id,
            occurrences.c.starts_at,
            occurrences.c.attended_count,
            events.c.program_id,
        ).join(events, events.c.id == occurrences.c.event_id)
    ):
        if recorded[occurrence_id] or kept:
            add('meeting_held', program_id, starts_at)
        add('attended', program_id, starts_at, came[occurrence_id] + kept)

    for (created_at,) in connection.execute(sa.select(accounts.c.created_at)):
        add('new_member', None, created_at)
    for submitted_at, published_at in connection.execute(
        sa.select(stories.c.submitted_at, stories.c.published_at)
    ):
        if submitted_at is not None:
            add('story_submitted', None, submitted_at)
        if published_at is not None:
            add('story_published', None, published_at)
    for created_at, resolved_at, outcome in connection.execute(
        sa.select(story_reports.c.created_at, story_reports.c.resolved_at, story_reports.c.outcome)
    ):
        add('report_filed', None, created_at)
        if resolved_at is not None and outcome in ('kept', 'removed'):
            add(f'report_{outcome}', None, resolved_at)

    rows = [
        {'month': day, 'program_id': program_id, 'measure': measure, 'count': total}
        for (day, program_id, measure), total in sorted(
            counts.items(), key=lambda item: (item[0][0], item[0][1] or 0, item[0][2])
        )
    ]
    if rows:
        connection.execute(sa.insert(monthly_counts), rows)
