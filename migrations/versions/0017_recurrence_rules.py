"""events: a series is stored as an RFC 5545 recurrence rule

events.recurrence ("none"/"weekly"/"monthly") and events.recurrence_until become
events.recurrence_rule, two iCalendar lines read in the event's own time zone
(advocacy/events/recurrence.py):

    DTSTART:<the first meeting's local start>
    RRULE:FREQ=WEEKLY;UNTIL=<recurrence_until>T235959   (FREQ=MONTHLY for "monthly")

The weekday and the day of the month come from DTSTART, as the RFC says when BYDAY and
BYMONTHDAY are left out, so the rule makes the same days the old code did. The first
meeting is the earliest one kept; an end left empty becomes the last meeting's local day.
"none", and a series with no meeting left, get no rule. Stored meetings are not touched.

Downgrade writes "weekly" or "monthly" back from FREQ (a monthly rule on a weekday reads
as "monthly": the old columns cannot say more) and the end from UNTIL, or the last
meeting's local day for a rule ending after a count.

Revision ID: 0017_recurrence_rules
Revises: 0016_account_timezone
Create Date: 2026-12-04 10:00:00

"""
from datetime import datetime, time
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

from advocacy.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0017_recurrence_rules'
down_revision = '0016_account_timezone'
branch_labels = None
depends_on = None

STAMP = '%Y%m%dT%H%M%S'
FREQ = {'weekly': 'WEEKLY', 'monthly': 'MONTHLY'}
occurrences = sa.table(
    'occurrences',
    sa.column('event_id', sa.Integer),
    sa.column('starts_at', UTCDateTime()),
)


# The events table on both sides of this migration, only the columns read or written here.
events = sa.table(
    'events',
    sa.column('id', sa.Integer),
    sa.column('timezone', sa.String),
    sa.column('recurrence', sa.String),
    sa.column('recurrence_until', sa.Date),
    sa.column('recurrence_rule', sa.Text),
)


def local_starts(connection, event_id: int, zone: str) -> list[datetime]:
    """The event's meetings' local starts (naive wall clock), earliest first."""
    rows = connection.execute(
        sa.select(occurrences.c.starts_at)
        .where(occurrences.c.event_id == event_id)
        .order_by(occurrences.c.starts_at)
    )
    return [start.astimezone(ZoneInfo(zone)).replace(tzinfo=None) for (start,) in rows]


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurrence_rule', sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(events.c.id, events.c.timezone, events.c.recurrence, events.c.recurrence_until)
        .where(events.c.recurrence.in_(list(FREQ)))
    ).all()
    for event_id, zone, recurrence, until in rows:
        starts = local_starts(connection, event_id, zone)
        if not starts:
            continue
        last_day = until or starts[-1].date()
        rule = (
            f'DTSTART:{starts[0]:{STAMP}}\n'
            f'RRULE:FREQ={FREQ[recurrence]};UNTIL={datetime.combine(last_day, time(23, 59, 59)):{STAMP}}'
        )
        connection.execute(
            events.update().where(events.c.id == event_id).values(recurrence_rule=rule)
        )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('recurrence_until')
        batch_op.drop_column('recurrence')


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurrence', sa.String(length=10), server_default='none', nullable=False))
        batch_op.add_column(sa.Column('recurrence_until', sa.Date(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(events.c.id, events.c.timezone, events.c.recurrence_rule)
        .where(events.c.recurrence_rule.is_not(None))
    ).all()
    for event_id, zone, text in rows:
        parts = dict(
            part.split('=', 1) for part in text.split('RRULE:', 1)[1].strip().split(';')
        )
        recurrence = 'weekly' if parts.get('FREQ') == 'WEEKLY' else 'monthly'
        if 'UNTIL' in parts:
            until = datetime.strptime(parts['UNTIL'][:8], '%Y%m%d').date()
        else:
            starts = local_starts(connection, event_id, zone)
            until = starts[-1].date() if starts else None
        connection.execute(
            events.update()
            .where(events.c.id == event_id)
            .values(recurrence=recurrence, recurrence_until=until)
        )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('recurrence_rule')
