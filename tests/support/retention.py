"""Every retention rule at its edge: where a record's period starts, when it ends, and
whether the record is still kept at exactly that instant.

The lengths are DESIGN §4's, written here as literals (never read from the code). DESIGN
says how long ("30 days after the event ends"), not what happens at the very instant the
period is over; decided here, per rule, and pinned by the tests:

- periods that start at a timestamp (an edit, a decision, a read, an entry, the end of a
  meeting): a record exactly N days old is still within its N days; it goes the first
  instant after (kept ⇔ age ≤ N days);
- the account rule counts whole days of the site's calendar, as the account page shows it:
  "deleted on <last sign-in day + 548 days> unless you sign in before then". It goes at
  the first second of that day (kept ⇔ days since the last sign-in < 548). DESIGN says
  18 months; the setting is in days and 548 is what the pages promise;
- enrollments are dated by the program's last day (a date): kept through that day and
  the 365 days after it, gone at the first second of the 366th (the site's calendar);
  attendance at a program's meetings is part of the place and goes with it, by the same
  rule, however long ago the meeting itself ended (an RSVP to an event outside programs:
  30 days after it ends);
- invite and reset codes (not in DESIGN's table; the privacy page says "when they
  expire"): kept up to their expiry instant, gone the instant after;
- retired names (not in DESIGN's table; the privacy page: 180 days from when the name
  stopped being used): held back until that instant, and gone at it, when the name is
  free again (accounts/standing.py is_retired: retired_until > now);
- sent-form marks (not in DESIGN's table; the hardening issue and the privacy page: a day
  after the form was sent) start at a timestamp like the others: kept while a day old
  or less, gone the instant after.

The site's calendar is New York's (the tests' DEFAULT_TIMEZONE): last sign-in days and
program dates are dates there, and a day begins at midnight there, 04:00 or 05:00 UTC by
daylight saving time (which New York changes at 02:00, never at midnight).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from advocacy.accounts import standing
from advocacy.accounts.models import Account, Invite, ResetCode, RetiredName
from advocacy.accounts.policy import pseudonym_key
from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.moderation.models import ModerationEntry
from advocacy.notices.models import Notice
from advocacy.once import SentForm
from advocacy.programs.models import Enrollment, Program
from advocacy.staff.models import AuditEntry
from advocacy.stories.models import Story, StoryReport
from tests.support.purge import Row

DAYS = timedelta(days=1)
SITE = ZoneInfo("America/New_York")


def local_day(at: datetime) -> date:
    """The date `at` falls on in the site's calendar."""
    return at.astimezone(SITE).date()


def day_begins(day: date) -> datetime:
    """The first instant of `day` in the site's calendar, in UTC."""
    return datetime.combine(day, time.min, SITE).astimezone(UTC)


def midnight(at: datetime) -> datetime:
    """The first instant of `at`'s day in the site's calendar, in UTC."""
    return day_begins(local_day(at))


@dataclass(frozen=True)
class Edge:
    """One retention rule at its edge.

    name: the purge's count for it; place(anchor): make one record whose period starts at
    `anchor` (in an app context; the caller commits), return its (model, id); period:
    DESIGN's length; kept_at_edge: whether a record is still kept at the very instant its
    period is over; calendar: counted in whole days of the site's calendar from the
    anchor's day.
    """

    name: str
    place: Callable[[datetime], Row]
    period: timedelta
    kept_at_edge: bool
    calendar: bool = False

    def edge(self, anchor: datetime) -> datetime:
        """The instant the period of a record anchored at `anchor` is over."""
        if self.calendar:
            return day_begins(local_day(anchor) + self.period)
        return anchor + self.period

    def kept(self, anchor: datetime, now: datetime) -> bool:
        """Whether a record anchored at `anchor` is still kept by a purge at `now`."""
        edge = self.edge(anchor)
        return now < edge or (now == edge and self.kept_at_edge)


# Records, each made with its period starting at the anchor, and what they hang from.


def token() -> str:
    """A random name part: every record and account placed is new."""
    return secrets.token_hex(4)


def new_account(**fields) -> Account:
    """An account for a record to belong to (no password: nobody signs in)."""
    name = f"keeper-{token()}"
    fields.setdefault("created_at", datetime.now(UTC))  # joined just now: kept as active
    account = Account(
        pseudonym=name, pseudonym_key=pseudonym_key(name), password_hash="unused", **fields
    )
    db.session.add(account)
    db.session.flush()
    return account


def added(record) -> Row:
    """Store the record; return its (model, id)."""
    db.session.add(record)
    db.session.flush()
    return type(record), record.id


def signed_in_last(at: datetime) -> Row:
    return Account, new_account(last_login_on=local_day(at), created_at=at - 30 * DAYS).id


def joined_never_signed_in(at: datetime) -> Row:
    return Account, new_account(created_at=at).id


def story(**fields) -> Story:
    """A story by a new account, in whatever state `fields` give it."""
    fields.setdefault("created_at", fields.get("updated_at") or datetime.now(UTC))
    fields.setdefault("updated_at", fields["created_at"])
    record = Story(author_id=new_account().id, title="A story", body="Some words.", **fields)
    db.session.add(record)
    db.session.flush()
    return record


def draft_last_edited(at: datetime) -> Row:
    return Story, story(status="draft", updated_at=at).id


def declined(at: datetime) -> Row:
    return Story, story(status="declined", decided_at=at).id


def report_resolved(at: datetime) -> Row:
    published = story(status="published", published_at=at - 10 * DAYS)
    return added(
        StoryReport(
            story_id=published.id,
            reporter_id=new_account().id,
            category="harassment",
            created_at=at - DAYS,
            resolved_at=at,
            outcome="kept",
        )
    )


def rsvp_to_meeting_ended(at: datetime) -> Row:
    event = Event(title="Circle", area="Queens", timezone="UTC", created_at=at - 30 * DAYS)
    event.occurrences = [Occurrence(starts_at=at - timedelta(hours=1), ends_at=at)]
    db.session.add(event)
    db.session.flush()
    occurrence_id = event.occurrences[0].id
    return added(
        Rsvp(
            occurrence_id=occurrence_id,
            account_id=new_account().id,
            status="confirmed",
            created_at=at - 30 * DAYS,
        )
    )


def program_ended(at: datetime) -> Program:
    """A program of 60 days whose last day is `at`'s date in the site's calendar."""
    last_day = local_day(at)
    program = Program(
        title="Healing together",
        kind="healing",
        summary="Peer support.",
        capacity=5,
        enrollment_opens_on=last_day - 90 * DAYS,
        enrollment_closes_on=last_day - 70 * DAYS,
        starts_on=last_day - 60 * DAYS,
        ends_on=last_day,
        status="completed",
        created_at=at - 100 * DAYS,
    )
    db.session.add(program)
    db.session.flush()
    return program


def enrollment_in_program_ended(at: datetime) -> Row:
    program = program_ended(at)
    return added(
        Enrollment(
            program_id=program.id,
            account_id=new_account().id,
            status="confirmed",
            created_at=program.created_at,
        )
    )


def attendance_at_program_meeting(at: datetime) -> Row:
    """Attendance (came) at the first meeting of a program ending on `at`'s date: the
    meeting ended 59 days before that, so an RSVP's 30 days would be long over."""
    program = program_ended(at)
    starts = datetime.combine(program.starts_on, time(18), UTC)
    event = Event(
        title="Healing together meeting",
        area="Queens",
        timezone="UTC",
        program_id=program.id,
        created_at=program.created_at,
    )
    event.occurrences = [Occurrence(starts_at=starts, ends_at=starts + timedelta(hours=1))]
    db.session.add(event)
    db.session.flush()
    member = new_account().id
    db.session.add(
        Enrollment(
            program_id=program.id,
            account_id=member,
            status="confirmed",
            created_at=program.created_at,
        )
    )
    return added(
        Rsvp(
            occurrence_id=event.occurrences[0].id,
            account_id=member,
            status="confirmed",
            attended=True,
            created_at=starts,
        )
    )


def notice_read(at: datetime) -> Row:
    return added(
        Notice(account_id=new_account().id, kind="event_changed", created_at=at, read_at=at)
    )


def notice_sent_unread(at: datetime) -> Row:
    return added(Notice(account_id=new_account().id, kind="event_changed", created_at=at))


def moderation_entry(at: datetime) -> Row:
    return added(ModerationEntry(action="approve", created_at=at))


def audit_entry(at: datetime) -> Row:
    return added(AuditEntry(action="role_changed", created_at=at))


def invite_expiring(at: datetime) -> Row:
    return added(
        Invite(
            selector=token(), code_hash="unused", expires_at=at, uses_left=1, created_at=at - DAYS
        )
    )


def reset_code_expiring(at: datetime) -> Row:
    return added(
        ResetCode(
            account_id=new_account().id,
            selector=token(),
            code_hash="unused",
            expires_at=at,
            created_at=at - DAYS,
        )
    )


def name_retired(at: datetime) -> Row:
    """Retire a name through the service, which dates its end from the setting."""
    key = f"gone-{token()}"
    standing.retire_name(key, now=at)
    db.session.flush()
    hashed = standing.retired_name_hash(key)
    return RetiredName, db.session.scalar(
        select(RetiredName.id).where(RetiredName.key_hash == hashed)
    )


def form_sent(at: datetime) -> Row:
    """The mark of a form sent at `at` (its key is a keyed hash: 64 hex digits)."""
    record = SentForm(key_hash=secrets.token_hex(32), sent_at=at)
    db.session.add(record)
    db.session.flush()
    return SentForm, record.key_hash


# DESIGN §4, one line per rule (the account and notice rows have two ways to expire).
EDGES = {
    "account: 548 days after the last sign-in day": Edge(
        "inactive accounts", signed_in_last, 548 * DAYS, kept_at_edge=False, calendar=True
    ),
    "account never signed in: 548 days after the day it joined": Edge(
        "inactive accounts", joined_never_signed_in, 548 * DAYS, kept_at_edge=False, calendar=True
    ),
    "story draft: 180 days after the last edit": Edge(
        "story drafts", draft_last_edited, 180 * DAYS, kept_at_edge=True
    ),
    "declined story: 30 days after the decision": Edge(
        "declined stories", declined, 30 * DAYS, kept_at_edge=True
    ),
    "RSVP: 30 days after the event ends": Edge(
        "RSVPs", rsvp_to_meeting_ended, 30 * DAYS, kept_at_edge=True
    ),
    # The program's last day itself, then 365 days.
    "enrollment: 365 days after the program ends": Edge(
        "program enrollments",
        enrollment_in_program_ended,
        1 * DAYS + 365 * DAYS,
        kept_at_edge=False,
        calendar=True,
    ),
    # Part of the place (staff decide completion on it): the enrollment's rule, from the
    # program's end, whenever the meeting was.
    "attendance at a program meeting: 365 days after the program ends": Edge(
        "attendance at program meetings",
        attendance_at_program_meeting,
        1 * DAYS + 365 * DAYS,
        kept_at_edge=False,
        calendar=True,
    ),
    # Issue 14: 90 days after read, no longer 30 (notices are read one by one when opened).
    "notice: 90 days after read": Edge("notices", notice_read, 90 * DAYS, kept_at_edge=True),
    "notice: 90 days at most": Edge("notices", notice_sent_unread, 90 * DAYS, kept_at_edge=True),
    "moderation log entry: 180 days": Edge(
        "moderation log entries", moderation_entry, 180 * DAYS, kept_at_edge=True
    ),
    "admin log entry: 180 days": Edge(
        "admin log entries", audit_entry, 180 * DAYS, kept_at_edge=True
    ),
    "report: 90 days after it is resolved": Edge(
        "story reports", report_resolved, 90 * DAYS, kept_at_edge=True
    ),
    "invite code: when it expires": Edge(
        "invite codes", invite_expiring, 0 * DAYS, kept_at_edge=True
    ),
    "reset code: when it expires": Edge(
        "reset codes", reset_code_expiring, 0 * DAYS, kept_at_edge=True
    ),
    "retired name: 180 days after it stopped being used": Edge(
        "retired names", name_retired, 180 * DAYS, kept_at_edge=False
    ),
    "sent form: 1 day after it was sent": Edge(
        "sent forms", form_sent, 1 * DAYS, kept_at_edge=True
    ),
}
