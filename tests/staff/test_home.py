"""The staff home page, /staff (issue 13, point 1): who may see it, what each sees, where
each line leads.

The rules, from the issue and DESIGN §2 and §3 (never read from the code under test):
visitors sign in first; members and mentors get the calm 403 of a staff room, with none
of the work; staff see only the programs and events they run, admins all of them; each
line links to where the work is done (an event's attendee list, a program meeting's
attendance page, a program's roster); the moderation backlog is a count for everyone,
and a link to the queue only for those who may moderate (mentors and admins, DESIGN §2:
so, here, admins only); when nothing is waiting, the page says so.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from advocacy.extensions import db
from tests.support.accounts import AuthActions, make_account
from tests.support.stories import make_story
from tests.support.workspace import add_meeting, add_places, add_program, add_rsvps

# The `clock` fixture's start: Friday 27 November 2026, 07:00 in New York.
TODAY = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
SATURDAY = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
ENDED = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def page(app, clock, account) -> tuple[int, str]:
    """Sign in as the account and GET /staff: the status and the page."""
    client = app.test_client()
    assert AuthActions(app, client, clock).login(account).status_code == 303
    response = client.get("/staff")
    return response.status_code, response.get_data(as_text=True)


def section(html: str, heading_id: str) -> str:
    """The HTML of one section of the home, by its heading's id."""
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert found, heading_id
    return found.group(1)


@pytest.fixture
def work(app, staff, member, other_member, mentor):
    """Maple (the `staff` fixture) and Rowan each run a program and an event with work
    waiting in every list; a story waits for review and another has been reported."""
    rowan = make_account(app, "rowan-staff", role="staff")
    with app.app_context():
        ids = {}
        for name, host in (("Maple", staff.id), ("Rowan", rowan.id)):
            program = add_program(f"{name} healing", [host], ends_on=date(2026, 12, 1))
            add_places(program, [member.id])
            add_places(program, [other_member.id], status="pending")
            ids[f"{name} meeting"] = add_meeting(f"{name} meeting", TODAY, program_id=program)
            ids[f"{name} ended meeting"] = add_meeting(
                f"{name} ended meeting", ENDED, program_id=program
            )
            circle = add_meeting(f"{name} circle", SATURDAY, hosts=[host])
            add_rsvps(circle, [member.id])
            add_rsvps(circle, [other_member.id], status="waitlisted")
            ids[f"{name} circle"] = circle
            ids[f"{name} healing"] = program
        db.session.commit()
    make_story(app, member.id, state="pending", title="Waiting for review")
    make_story(app, member.id, mentor_id=mentor.id, title="Reported", reporters=[other_member.id])
    return {"rowan": rowan, **ids}


@pytest.mark.parametrize("role", ["member", "mentor"])
def test_members_and_mentors_are_refused_and_shown_no_work(app, clock, work, role, request):
    status, html = page(app, clock, request.getfixturevalue(role))
    assert status == 403
    for title in ("Maple healing", "Maple circle", "Rowan healing", "Attendance to record"):
        assert title not in html


def test_visitors_are_sent_to_sign_in(client, work):
    response = client.get("/staff")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_staff_see_only_what_they_run_and_where_to_do_it(app, clock, staff, work):
    status, html = page(app, clock, staff)
    assert status == 200
    for title in ("Rowan healing", "Rowan meeting", "Rowan ended meeting", "Rowan circle"):
        assert title not in html
    program = work["Maple healing"]
    today = section(html, "h-today")
    attendance = f"/programs/{program}/meetings/{work['Maple meeting']}/attendance"
    assert f'<a href="{attendance}">Maple meeting</a>' in today
    assert "1 confirmed, 0 waiting" in today
    week = section(html, "h-week")
    assert f'<a href="/events/{work["Maple circle"]}/attendees">Maple circle</a>' in week
    assert "1 confirmed, 1 waiting" in week
    recorded = section(html, "h-attendance")
    ended = f"/programs/{program}/meetings/{work['Maple ended meeting']}/attendance"
    assert f'<a href="{ended}">Maple ended meeting</a>' in recorded
    assert "1 person was expected" in recorded
    requests = section(html, "h-requests")
    assert f'<a href="/programs/{program}/roster">Maple healing</a>' in requests
    assert "1 request" in requests
    ending = section(html, "h-ending")
    assert f'<a href="/programs/{program}/roster">Maple healing</a>' in ending
    assert "Ends in 4 days" in ending  # Friday 27 November to Tuesday 1 December
    assert "1 with a place, 0 completed" in ending


def test_staff_see_the_moderation_backlog_without_a_link(app, clock, staff, work):
    _status, html = page(app, clock, staff)
    moderation = section(html, "h-moderation")
    assert "1 story waiting for review, 1 reported story" in moderation
    assert "/moderation" not in html


def test_admins_see_everything_and_the_way_to_the_queue(app, clock, admin, work):
    status, html = page(app, clock, admin)
    assert status == 200
    for title in ("Maple healing", "Maple meeting", "Maple circle", "Maple ended meeting"):
        assert title in html
    for title in ("Rowan healing", "Rowan meeting", "Rowan circle", "Rowan ended meeting"):
        assert title in html
    moderation = section(html, "h-moderation")
    assert '<a href="/moderation">1 story waiting for review, 1 reported story</a>' in moderation


def test_the_tools_are_still_there(app, clock, staff):
    _status, html = page(app, clock, staff)
    for path in ("/invites", "/staff/reset-codes", "/staff/reset-codes/pending"):
        assert f'href="{path}"' in html


def test_when_nothing_is_waiting_the_page_says_so(app, clock, staff, work):
    # Maple's and Rowan's work is theirs: for a staff member who runs nothing, it is calm.
    newcomer = make_account(app, "birch-staff", role="staff")
    _status, html = page(app, clock, newcomer)
    assert "Nothing is waiting for you right now." in html
    assert "No meetings today." in section(html, "h-today")
    assert "No more meetings this week" in section(html, "h-week")
    assert "Attendance is recorded for every meeting that has ended." in section(
        html, "h-attendance"
    )
    assert "No requests are waiting." in section(html, "h-requests")
    assert "No program ends in the next 14 days." in section(html, "h-ending")
    assert "Maple healing" not in html


def test_an_empty_moderation_queue_says_so(app, clock, staff):
    _status, html = page(app, clock, staff)
    assert "Nothing is waiting for moderation." in section(html, "h-moderation")


def test_a_reported_story_alone_is_a_backlog(app, clock, staff, member, other_member, mentor):
    make_story(app, member.id, mentor_id=mentor.id, title="Reported", reporters=[other_member.id])
    _status, html = page(app, clock, staff)
    assert "0 stories waiting for review, 1 reported story." in section(html, "h-moderation")


def test_titles_are_shown_as_text(app, clock, staff, member, other_member):
    title = "<b>Healing</b> & friends"
    with app.app_context():
        program = add_program(title, [staff.id], ends_on=date(2026, 12, 1))
        add_places(program, [member.id])
        add_places(program, [other_member.id], status="pending")
        add_meeting(title, TODAY, program_id=program)
        add_meeting(title, SATURDAY, hosts=[staff.id])
        add_meeting(title, ENDED, program_id=program)
        db.session.commit()
    _status, html = page(app, clock, staff)
    for heading in ("h-today", "h-week", "h-attendance", "h-requests", "h-ending"):
        shown = section(html, heading)
        assert "&lt;b&gt;Healing&lt;/b&gt; &amp; friends" in shown, heading
        assert "<b>" not in shown, heading
