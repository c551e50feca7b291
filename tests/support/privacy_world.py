"""A member with a row in every table linked to accounts, values chosen to tell fields
apart (the completeness test's world, with the other account's rows an hour later and the
subject's settings, one story and one report off their defaults)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.stories.models import Story, StoryReport
from tests.privacy.test_completeness import OTHER_TAG, SUBJECT_TAG, People, give_everything
from tests.support.accounts import make_account, make_reset_code
from tests.support.events import make_event
from tests.support.programs import make_program

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # the test clock's start
AT = NOW.isoformat()
LATER = NOW + timedelta(hours=1)  # when the other account's rows are made
JOINED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
LAST_SIGN_IN = date(2026, 11, 20)
RESOLVED = NOW + timedelta(days=3)
UNPUBLISH_ON = date(2027, 1, 31)
ISSUED = NOW + timedelta(minutes=30)


def build_subject(app) -> int:
    """Make the world; return the subject's id."""
    admin = make_account(app, "wren-admin", role="admin")
    staff_member = make_account(app, "maple-staff", role="staff")
    people = People(
        admin=admin,
        staff=staff_member,
        bystander=make_account(app, "cedar-bystander"),
        shared_event=make_event(app, staff_member.id, title="Shared circle", now=NOW),
        shared_program=make_program(
            app, staff_member.id, title="Shared program", now=NOW, starts_in=-1
        ),
    )
    subject = make_account(app, "river-subject", role="admin")
    other = make_account(app, "heron-other", role="admin")
    give_everything(app, subject, SUBJECT_TAG, people, NOW)
    give_everything(app, other, OTHER_TAG, people, LATER)
    with app.app_context():
        account = db.session.get(Account, subject.id)
        account.created_at = JOINED
        account.last_login_on = LAST_SIGN_IN
        account.is_discreet = True
        account.locale = "es"
        account.timezone = "America/Chicago"
        account.opens_stories_in_review = True
        account.is_mentor_eligible = True
        account.refuses_staff_resets = True
        story = db.session.scalar(select(Story).where(Story.title == f"{SUBJECT_TAG} published"))
        story.warnings = ["violence"]
        story.warning_note = "A hard night."
        story.is_anonymous = True
        story.unpublish_on = UNPUBLISH_ON
        report = db.session.scalar(select(StoryReport).where(StoryReport.reporter_id == subject.id))
        report.resolved_at = RESOLVED
        report.outcome = "kept"
        db.session.commit()
    # A code the subject issues half an hour later that nobody has approved yet.
    helped = make_account(app, "lark-helped")
    make_reset_code(app, helped.id, subject.id, now=ISSUED, approved=False)
    return subject.id
