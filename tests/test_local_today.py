"""Every "today" of a date-only rule is the date in the site's time zone (issue 14, point
1), not UTC's. The site is in America/New_York (UTC-5 in late November), so 20:00 on 27
November there is 01:00 UTC on the 28th: a rule that read UTC's date would already be on
the 28th. Expected values are worked out by hand from that offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask_login import login_user

from advocacy import templating
from advocacy.accounts import privacy as account_privacy
from advocacy.accounts import services as accounts
from advocacy.accounts import standing
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import services as programs
from advocacy.stories import reading
from advocacy.stories import services as stories
from advocacy.stories.models import Story
from tests.support.accounts import make_account
from tests.support.programs import make_program
from tests.support.stories import moderator, published

EVENING_OF_27TH = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # 20:00 on the 27th in New York
LAST_SECOND_OF_27TH = datetime(2026, 11, 28, 4, 59, 59, tzinfo=UTC)  # 23:59:59 in New York
MIDNIGHT_OF_28TH = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # 00:00 on the 28th in New York


def noon(day: int) -> datetime:
    return datetime(2026, 11, day, 12, 0, tzinfo=UTC)


def request_place(app, program_id: int, at: datetime) -> str:
    member = make_account(app, f"member-{at.timestamp():.0f}")
    with app.app_context():
        try:
            programs.enroll(db.session.get(Account, member.id), program_id, now=at)
        except programs.EnrollmentClosed:
            return "refused"
        db.session.commit()
        return "accepted"


def test_a_request_on_the_evening_of_the_last_day_is_accepted(app):
    staff = make_account(app, "staff-today", role="staff")
    # Requests from the 6th to the 27th (the helper opens them the day before `now`'s
    # date and closes them 20 days after it).
    program = make_program(app, staff.id, now=noon(7), meetings=0)
    with app.app_context():
        assert db.session.get(programs.Program, program.id).enrollment_closes_on == date(
            2026, 11, 27
        )
    assert request_place(app, program.id, EVENING_OF_27TH) == "accepted"
    assert request_place(app, program.id, LAST_SECOND_OF_27TH) == "accepted"
    assert request_place(app, program.id, MIDNIGHT_OF_28TH) == "refused"


def test_a_request_on_the_eve_of_the_opening_day_is_refused(app):
    staff = make_account(app, "staff-today", role="staff")
    program = make_program(app, staff.id, now=noon(29), meetings=0)  # requests from the 28th
    with app.app_context():
        assert db.session.get(programs.Program, program.id).enrollment_opens_on == date(
            2026, 11, 28
        )
    assert request_place(app, program.id, EVENING_OF_27TH) == "refused"
    assert request_place(app, program.id, MIDNIGHT_OF_28TH) == "accepted"


def test_a_take_down_date_of_tomorrow_is_accepted_in_the_evening(app):
    author = make_account(app, "author-today")
    data = stories.StoryInput(
        title="Evening", body="Written at night.", unpublish_on=date(2026, 11, 28)
    )
    with app.app_context():
        story = stories.submit(db.session.get(Account, author.id), data, now=EVENING_OF_27TH)
        assert story.submitted
        with pytest.raises(stories.StoryError):
            stories.check_sharing("members", date(2026, 11, 28), today=date(2026, 11, 28))


def test_a_story_taken_down_on_the_28th_is_read_until_local_midnight(app):
    author = make_account(app, "author-today")
    with app.app_context():
        story = published(db.session.get(Account, author.id), moderator(), at=noon(20))
        db.session.get(Story, story.id).unpublish_on = date(2026, 11, 28)
        db.session.commit()

        def readable(at: datetime) -> bool:
            try:
                reading.readable_story(story.id, signed_in=True, now=at)
            except stories.StoryNotFound:
                return False
            return True

        assert readable(EVENING_OF_27TH)
        assert readable(LAST_SECOND_OF_27TH)
        assert not readable(MIDNIGHT_OF_28TH)


def test_the_sign_in_date_and_the_deletion_date_are_local(app):
    member = make_account(app, "member-today")
    with app.app_context():
        account = db.session.get(Account, member.id)
        accounts.record_login(account, now=EVENING_OF_27TH)
        assert account.last_login_on == date(2026, 11, 27)
        account.last_login_on = None
        account.created_at = EVENING_OF_27TH
        # Joined on the 27th in New York: gone 548 days (the inactivity rule) after it.
        assert account_privacy.deletion_date(account) == date(2028, 5, 28)


def test_a_date_shown_for_an_instant_is_the_local_day(app, client, auth):
    author = make_account(app, "author-today")
    with app.app_context():
        story = published(db.session.get(Account, author.id), moderator(), at=EVENING_OF_27TH)
        story_id = story.id
        db.session.commit()
    auth.login(author)
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "27 November 2026" in page
    assert "28 November 2026" not in page


def test_a_member_who_chose_a_time_zone_reads_dates_in_it(app, client, auth):
    author = make_account(app, "author-in-london")
    with app.app_context():
        account = db.session.get(Account, author.id)
        account.timezone = "Europe/London"
        story = published(account, moderator(), at=EVENING_OF_27TH)
        story_id = story.id
        db.session.commit()
    auth.login(author)
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    # 20:00 on the 27th in New York is 01:00 on the 28th in London.
    assert "28 November 2026" in page
    assert "27 November 2026" not in page
    with app.test_request_context():
        auth_user = db.session.get(Account, author.id)
        login_user(auth_user)
        assert templating.local_time(EVENING_OF_27TH) == "28 November 2026, 1:00\u202fAM GMT"


def test_a_date_written_out_and_a_time_shown_are_the_sites(app):
    with app.test_request_context():
        # 03:00 UTC on 12 December is 22:00 on the 11th in New York.
        assert (
            standing.long_date(
                datetime(2026, 12, 12, 3, 0, tzinfo=UTC), ZoneInfo("America/New_York")
            )
            == "11 December 2026"
        )
        assert templating.local_time(EVENING_OF_27TH) == "27 November 2026, 8:00\u202fPM EST"
        # Summer time names itself too (UTC-4).
        assert templating.local_time(datetime(2026, 7, 1, 3, 30, tzinfo=UTC)) == (
            "30 June 2026, 11:30\u202fPM EDT"
        )
