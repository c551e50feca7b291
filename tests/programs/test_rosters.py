"""Rosters that inform a decision, through the routes (issue 13, point 2).

Written from the issue: the roster shows each member's attendance ("came to N of M
meetings"); those who run the program add a meeting that already happened and who came,
in one form; recording completion asks for confirmation on its own page (no JavaScript
needed), cannot happen before the program starts, and can be undone the same day (a
letter already issued stops verifying, the notice is withdrawn); the member gets a notice
that links to their letter page. Every new route: the program's creator, co-hosts and
admins get its answer and its change is made; other staff get 404, members and mentors
403, and nothing is written (the table of tests/support/hosts.py). Every form: a calm
message, input kept, and sent twice it acts once.

The clock starts at 2026-11-27 12:00 UTC: 07:00 on 27 November in New York (the site's
time zone in the tests).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.programs import attendance, completion, hosts
from advocacy.programs import services as programs
from advocacy.programs.models import Enrollment, Program
from tests.support.accounts import AuthActions, load_account, make_account
from tests.support.hosts import RUNNERS, Case, account, cells, check_cell, make_people
from tests.support.once import marks_on
from tests.support.programs import make_program
from tests.support.queries import count_queries
from tests.support.snapshots import differences, snapshot

TITLE = "Healing together"  # make_program's
CODE = re.compile(r'class="codes-single">([0-9A-Z-]{19})<')
DONE_ONCE = "That was already sent, and it was done once. Here is where it stands."


@pytest.fixture
def people(app):
    return {**make_people(app), "finished": make_account(app, "fern-member")}


@pytest.fixture
def ids(app, clock, people) -> dict:
    """A leadership program the creator made, which started yesterday (2026-11-26) and has
    one meeting to come; the co-host; the attendee with a place; fern, who completed it
    today."""
    made = make_program(
        app, people["creator"].id, now=clock(), kind="leadership", starts_in=-1, capacity=5
    )
    with app.app_context():
        program = db.session.get(Program, made.id)
        hosts.add_host(account(people["creator"].id), program, "alder-staff", now=clock())
        place = programs.enroll(account(people["attendee"].id), made.id, now=clock())
        done = programs.enroll(account(people["finished"].id), made.id, now=clock())
        completion.complete(made.id, done.id, now=clock())
        db.session.commit()
        return {
            "program_id": made.id,
            "meeting_id": made.meeting_ids[0],
            "enrollment_id": place.id,
            "finished_id": done.id,
            "attendee_id": people["attendee"].id,
        }


def completed_on(enrollment_id: int):
    return db.session.get(Enrollment, enrollment_id).completed_on


def meetings_of(ids) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Event).where(Event.program_id == ids["program_id"])
    )


def past_form(**changes) -> dict:
    """An extra session on the program's first day, 18:00-19:30 in New York."""
    return {
        "title": "Extra circle",
        "area": "Queens",
        "timezone": "America/New_York",
        "day": "2026-11-26",
        "starts": "18:00",
        "ends": "19:30",
    } | changes


def came_to_extra(ids) -> bool:
    extra = db.session.scalar(
        select(Event).where(Event.program_id == ids["program_id"], Event.title == "Extra circle")
    )
    return extra is not None and attendance.attendance(extra.occurrences[0].id) == {
        ids["attendee_id"]: True,
        db.session.get(Enrollment, ids["finished_id"]).account_id: False,
    }


CASES = {
    "roster": Case(
        "GET", "/programs/{program_id}/roster", RUNNERS, 200, secret=lambda _: "cedar-member"
    ),
    "completion page": Case(
        "GET",
        "/programs/{program_id}/roster/{enrollment_id}/completion",
        RUNNERS,
        200,
        secret=lambda _: "cedar-member",
    ),
    "complete": Case(
        "POST",
        "/programs/{program_id}/roster/{enrollment_id}/complete",
        RUNNERS,
        303,
        data=lambda _: {"confirm": "yes"},
        done=lambda ids: completed_on(ids["enrollment_id"]) is not None,
    ),
    "undo": Case(
        "POST",
        "/programs/{program_id}/roster/{finished_id}/undo",
        RUNNERS,
        303,
        data=lambda _: {"confirm": "yes"},
        done=lambda ids: completed_on(ids["finished_id"]) is None,
    ),
    "extra session page": Case(
        "GET",
        "/programs/{program_id}/meetings/past",
        RUNNERS,
        200,
        secret=lambda _: "cedar-member",
    ),
    "extra session": Case(
        "POST",
        "/programs/{program_id}/meetings/past",
        RUNNERS,
        303,
        data=lambda ids: past_form(present=str(ids["attendee_id"])),
        done=lambda ids: meetings_of(ids) == 2 and came_to_extra(ids),
    ),
}


@pytest.mark.parametrize(**cells(CASES))
def test_only_those_who_run_the_program_see_attendance_complete_undo_or_add_sessions(
    app, clock, people, ids, name, role
):
    check_cell(app, clock, people, ids, CASES[name], role)


# Through the pages


def signed_in(app, clock, made):
    client = app.test_client()
    assert AuthActions(app, client, clock).login(made).status_code == 303
    return client


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def words(html: str) -> str:
    """The page's text, tags dropped, entities read and whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def followed(client, response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return page(client, response.headers["Location"])


def paths(ids) -> dict[str, str]:
    base = f"/programs/{ids['program_id']}"
    return {
        "roster": f"{base}/roster",
        "completion": f"{base}/roster/{ids['enrollment_id']}/completion",
        "complete": f"{base}/roster/{ids['enrollment_id']}/complete",
        "undo": f"{base}/roster/{ids['finished_id']}/undo",
        "past": f"{base}/meetings/past",
        "letter": f"{base}/letter",
    }


def test_completion_is_confirmed_on_its_own_page_and_the_member_is_told(app, clock, people, ids):
    to = paths(ids)
    staff = signed_in(app, clock, people["cohost"])
    roster = page(staff, to["roster"])
    assert f'<a href="{to["completion"]}">Record completion for cedar-member</a>' in roster
    assert "fern-member · completed 27 November 2026" in words(roster)
    confirm = page(staff, to["completion"])
    assert f"Record that cedar-member completed “{TITLE}”?" in confirm
    assert "eligible to become a mentor" in confirm  # a leadership program
    assert '<button type="submit" name="confirm" value="yes">Yes, record completion' in confirm

    # Sent without the confirmation (an old page, a crafted form): nothing is recorded.
    before = snapshot(app)
    shown = followed(staff, staff.post(to["complete"], data={}))
    assert "Completion is recorded only once you confirm it on this page." in shown
    assert differences(before, snapshot(app)) == {}

    shown = followed(staff, staff.post(to["complete"], data={"confirm": "yes"}))
    assert "Completion is recorded, and the member has been told." in shown
    assert "cedar-member · completed 27 November 2026" in words(shown)
    assert "Undo completion for cedar-member" in shown
    with app.app_context():
        assert completed_on(ids["enrollment_id"]).isoformat() == "2026-11-27"
    assert load_account(app, people["attendee"].id).is_mentor_eligible is True

    member = signed_in(app, clock, people["attendee"])
    notices = page(member, "/notices")
    assert (
        f"You completed “{TITLE}”. Well done! Your completion letter is ready whenever you "
        "want it." in notices
    )
    # Opening the notice (a form: it marks it read) leads to the letter.
    opened = re.search(r'action="(/notices/[0-9]+/open)"', notices)
    assert member.post(opened.group(1)).headers["Location"] == to["letter"]
    letter = page(member, to["letter"])
    assert "You completed this program on 27 November 2026." in letter
    assert "Get my completion letter" in letter
    assert len(CODE.findall(member.post(to["letter"], follow_redirects=True).text)) == 1


def test_undo_the_same_day_stops_the_letter_verifying_and_withdraws_the_notice(
    app, clock, people, ids
):
    to = paths(ids)
    member = signed_in(app, clock, people["finished"])
    assert "You completed “" in page(member, "/notices")
    (code,) = CODE.findall(member.post(to["letter"], follow_redirects=True).text)
    visitor = app.test_client()
    assert "This code is genuine" in visitor.post("/programs/verify", data={"code": code}).text
    assert load_account(app, people["finished"].id).is_mentor_eligible is True

    staff = signed_in(app, clock, people["creator"])
    # The roster leads to the completion page, which says what undoing does and asks.
    finished = f"/programs/{ids['program_id']}/roster/{ids['finished_id']}/completion"
    assert f'<a href="{finished}">Undo completion for fern-member…</a>' in page(staff, to["roster"])
    asked = words(page(staff, finished))
    assert "Undo the completion recorded for fern-member today?" in asked
    assert "Any letter already issued for it will stop verifying" in asked
    assert "Yes, undo completion" in asked
    # Sent without the confirmation (a stray tap on an old page, a crafted form): nothing.
    before = snapshot(app)
    shown = followed(staff, staff.post(to["undo"], data={}))
    assert "A completion is undone only once you confirm it on this page." in shown
    assert differences(before, snapshot(app)) == {}

    shown = followed(staff, staff.post(to["undo"], data={"confirm": "yes"}))
    assert (
        "Completion is undone. Any letter issued for it no longer verifies, the member's "
        "notices about it are withdrawn, and they have been told the record was corrected." in shown
    )
    assert "fern-member · has a place" in words(shown)

    checked = words(visitor.post("/programs/verify", data={"code": code}).text)
    assert "We can't confirm that code." in checked
    assert "This code is genuine" not in checked
    notices = words(page(member, "/notices"))
    assert "You completed" not in notices
    assert "corrected its completion record: it no longer shows as completed for you" in notices
    assert "the staff who run the program can tell you more" in notices
    assert "maple-staff" not in notices  # nobody named
    letter = page(member, to["letter"])
    assert "A letter is available once you have completed the program." in letter
    assert "Get my completion letter" not in letter
    assert load_account(app, people["finished"].id).is_mentor_eligible is False


def test_after_the_day_of_completion_undo_is_calmly_refused(app, clock, people, ids):
    to = paths(ids)
    clock.advance(hours=17)  # 05:00 UTC on the 28th: midnight in New York
    staff = signed_in(app, clock, people["admin"])
    assert "Undo completion" not in page(staff, to["roster"])
    completion_page = page(
        staff, f"/programs/{ids['program_id']}/roster/{ids['finished_id']}/completion"
    )
    assert "can be undone only on the day it was recorded, so this one stays." in completion_page
    assert "Undo completion" not in completion_page
    before = snapshot(app)
    shown = followed(staff, staff.post(to["undo"], data={"confirm": "yes"}))
    assert (
        "Completion was recorded on 27 November 2026. It can be undone only on the day it was "
        "recorded, so it stays."
    ) in shown
    assert differences(before, snapshot(app)) == {}


def test_before_the_program_starts_completion_is_not_offered_nor_recorded(app, clock, people):
    made = make_program(app, people["creator"].id, now=clock(), starts_in=1)
    with app.app_context():
        place = programs.enroll(account(people["attendee"].id), made.id, now=clock()).id
        db.session.commit()
    base = f"/programs/{made.id}/roster"
    staff = signed_in(app, clock, people["creator"])
    said = "The program starts on 28 November 2026. Completion can be recorded from that day on."
    roster = page(staff, base)
    assert said in roster
    assert "Record completion" not in roster
    confirm = page(staff, f"{base}/{place}/completion")
    assert said in confirm
    assert 'value="yes"' not in confirm
    before = snapshot(app)
    shown = followed(staff, staff.post(f"{base}/{place}/complete", data={"confirm": "yes"}))
    assert (
        "This program starts on 28 November 2026. Completion can be recorded from that day on."
        in shown
    )
    assert differences(before, snapshot(app)) == {}


def test_a_completion_page_for_someone_not_in_the_program_is_not_found(app, clock, people, ids):
    other = make_program(app, people["creator"].id, now=clock(), title="Other", starts_in=-1)
    staff = signed_in(app, clock, people["creator"])
    path = f"/programs/{other.id}/roster/{ids['enrollment_id']}/completion"
    assert staff.get(path).status_code == 404


# Sent twice


def test_completion_and_its_undoing_sent_twice_act_once(app, clock, people, ids):
    to = paths(ids)
    staff = signed_in(app, clock, people["creator"])
    (mark,) = marks_on(page(staff, to["completion"]))
    form = {"confirm": "yes", "once": mark}
    assert staff.post(to["complete"], data=form).headers["Location"] == to["roster"]
    shown = followed(staff, staff.post(to["complete"], data=form))
    assert DONE_ONCE in shown
    assert "Completion is already recorded" not in shown
    assert "cedar-member completed this program on 27 November 2026." in shown
    with app.app_context():
        told = select(func.count()).select_from(Notice).where(Notice.kind == "program_completed")
        assert db.session.scalar(told) == 2  # fern's and cedar's, once each

    undo = f"/programs/{ids['program_id']}/roster/{ids['enrollment_id']}/undo"
    (mark,) = marks_on(page(staff, to["completion"]))
    form = {"confirm": "yes", "once": mark}
    assert staff.post(undo, data=form).headers["Location"] == to["roster"]
    shown = followed(staff, staff.post(undo, data=form))
    assert DONE_ONCE in shown
    assert "There is no completion to undo" not in shown
    with app.app_context():
        assert completed_on(ids["enrollment_id"]) is None
        assert db.session.scalar(told) == 1


def test_an_extra_session_sent_twice_is_added_once(app, clock, people, ids):
    to = paths(ids)
    staff = signed_in(app, clock, people["cohost"])
    (mark,) = marks_on(page(staff, to["past"]))
    form = past_form(present=str(ids["attendee_id"]), once=mark)
    assert staff.post(to["past"], data=form).headers["Location"] == to["roster"]
    shown = followed(staff, staff.post(to["past"], data=form))
    assert "That was already sent, and it was saved once." in shown
    with app.app_context():
        assert meetings_of(ids) == 2
        assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 2


# The extra session's form


def test_the_extra_session_form_starts_from_the_program_and_lists_its_members(
    app, clock, people, ids
):
    form = page(signed_in(app, clock, people["creator"]), paths(ids)["past"])
    assert re.search(f'<input [^>]*name="title" [^>]*value="{TITLE}"', form)
    assert 'value="America/New_York"' in form
    assert "from 26 November 2026 to 15 February 2027" in form
    for who in ("attendee", "finished"):
        made = people[who]
        assert f'<label for="present-{made.id}">{made.pseudonym}</label>' in form
    assert "checked" not in form


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        (
            {"day": "2026-11-25"},
            "Please choose a day within the program, from 26 November 2026 to 15 February 2027.",
        ),
        (
            {"day": "2026-11-27", "starts": "18:00"},
            "This is for a meeting that has already happened.",
        ),
        ({"ends": "17:00"}, "The end time must be after the start time."),
        ({"area": ""}, "Please fill this in."),
        ({"day": "27/11/2026"}, "Please choose a real date, as year-month-day."),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list, like America/New_York."),
    ],
    ids=["before the program", "in the future", "no length", "no area", "not a date", "no zone"],
)
def test_a_refused_extra_session_says_why_keeps_what_was_typed_and_writes_nothing(
    app, clock, people, ids, changes, said
):
    staff = signed_in(app, clock, people["creator"])
    before = snapshot(app)
    sent = past_form(present=str(ids["attendee_id"]), title="Snow day circle") | changes
    response = staff.post(paths(ids)["past"], data=sent)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert said in body
    assert 'value="Snow day circle"' in body
    assert f'value="{ids["attendee_id"]}" checked' in body
    if changes.get("area") != "":
        assert 'value="Queens"' in body
    assert differences(before, snapshot(app)) == {}


# The roster's counts


def test_the_roster_says_how_often_each_member_came_and_each_meeting_s_attendance(
    app, clock, people, ids
):
    staff = signed_in(app, clock, people["creator"])
    staff.post(paths(ids)["past"], data=past_form(present=str(ids["attendee_id"])))
    staff.post(
        paths(ids)["past"],
        data=past_form(day="2026-11-27", starts="06:00", ends="06:45", title="Early circle"),
    )
    roster = page(staff, paths(ids)["roster"])
    assert "Came to 1 of 2 meetings" in roster  # cedar: the first extra session of two
    assert "Came to 0 of 2 meetings" in roster  # fern
    assert "1 of 2 came" in roster
    assert "0 of 2 came" in roster
    assert "not yet" in roster  # the meeting scheduled for 29 November


def program_with_attendance(app, clock, creator, size: int) -> int:
    """A started program with `size` members and `size` meetings, each with attendance."""
    made = make_program(
        app,
        creator.id,
        now=clock(),
        title=f"Size {size}",
        capacity=size,
        meetings=size,
        starts_in=-1,
    )
    members = [make_account(app, f"size{size}-{n:02d}") for n in range(size)]
    with app.app_context():
        for member in members:
            programs.enroll(account(member.id), made.id, now=clock())
        for meeting_id in made.meeting_ids:
            starts = db.session.get(Occurrence, meeting_id).starts_at
            attendance.record_attendance(
                made.id, meeting_id, {members[0].id}, now=starts + timedelta(hours=1)
            )
        db.session.commit()
    return made.id


def test_the_roster_sends_as_many_queries_for_many_members_and_meetings_as_for_few(
    app, clock, people
):
    few = program_with_attendance(app, clock, people["creator"], 2)
    many = program_with_attendance(app, clock, people["creator"], 30)
    staff = signed_in(app, clock, people["creator"])
    seen = []
    for program_id, size in ((few, 2), (many, 30)):
        with count_queries(app) as counted:
            roster = page(staff, f"/programs/{program_id}/roster")
        assert roster.count(f"Came to {size} of {size} meetings") == 1
        assert roster.count(f"Came to 0 of {size} meetings") == size - 1
        seen.append(counted.count)
    assert seen[0] == seen[1]
