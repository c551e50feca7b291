"""Sessions at one's own pace (issue 16, point 2; DESIGN §3 Programs).

The rules (advocacy/programs/sessions.py): the staff who run a program (and admins) write
its sessions in order and change, move and delete them; a member with a confirmed place
opens them, marks one done and takes the mark back, and reads "N of M done"; anyone else
gets 404. Staff see only how many members marked each session done, 1 to 4 shown as
"fewer than 5" (the reports' rule, DESIGN §3 Staff tools), never who. Nothing a member
writes is stored: a mark is (place, session) and nothing else. Marks are part of the place:
they go with a withdrawal, the account's deletion and the enrollment purge, and are in
the export.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import services, sessions
from advocacy.programs.models import Program, ProgramSession, SessionProgress
from tests.support.accounts import make_account
from tests.support.programs import make_program, make_sessions
from tests.support.purge import keep_signed_in, purge_at
from tests.support.snapshots import differences, snapshot


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def signed_in(app, auth, account):
    client = app.test_client()
    assert auth.login(account, client=client).status_code == 303
    return client


NEW_YORK = ZoneInfo("America/New_York")  # the tests' DEFAULT_TIMEZONE: the site's calendar


def marks(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SessionProgress))


def titles(app, program_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(ProgramSession.position, ProgramSession.title)
            .where(ProgramSession.program_id == program_id)
            .order_by(ProgramSession.position)
        )
        return [tuple(row) for row in rows]


@pytest.fixture
def course(app, clock, staff):
    """A program of the staff member's (five places) with three sessions."""
    made = make_program(app, staff.id, now=clock(), meetings=0)
    return made.id, make_sessions(app, made.id, 3, now=clock())


def placed(app, auth, account, program_id: int):
    """The account, signed in on a client of its own, with a place in the program."""
    client = signed_in(app, auth, account)
    assert client.post(f"/programs/{program_id}/enroll").status_code == 303
    return client


# Staff write them


def test_staff_write_move_change_and_delete_sessions_in_order(app, auth, clock, staff):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    desk = signed_in(app, auth, staff)
    base = f"/programs/{made}/sessions"
    for title in ("Arriving", "The body", "Boundaries"):
        sent = desk.post(f"{base}/new", data={"title": title, "body": f"About {title}."})
        assert (sent.status_code, sent.headers["Location"]) == (303, base)
    assert titles(app, made) == [(1, "Arriving"), (2, "The body"), (3, "Boundaries")]
    ids = {
        title: n
        for n, title in zip(ids_of(app, made), ("Arriving", "The body", "Boundaries"), strict=True)
    }

    desk.post(f"{base}/{ids['Boundaries']}/move", data={"direction": "earlier"})
    assert titles(app, made) == [(1, "Arriving"), (2, "Boundaries"), (3, "The body")]
    # Already first: nothing moves, and it says so.
    said = text(
        desk.post(
            f"{base}/{ids['Arriving']}/move", data={"direction": "earlier"}, follow_redirects=True
        )
    )
    assert "It is already there. Nothing was changed." in said
    assert titles(app, made) == [(1, "Arriving"), (2, "Boundaries"), (3, "The body")]
    desk.post(f"{base}/{ids['Arriving']}/move", data={"direction": "later"})
    assert titles(app, made) == [(1, "Boundaries"), (2, "Arriving"), (3, "The body")]

    changed = desk.post(
        f"{base}/{ids['Arriving']}/edit",
        data={
            "title": "Arriving gently",
            "body": "Slowly.",
            "prompt": "What helps?",
            "minutes": "15",
        },
    )
    assert changed.headers["Location"] == f"{base}/{ids['Arriving']}"
    with app.app_context():
        found = db.session.get(ProgramSession, ids["Arriving"])
        assert (found.title, found.body, found.prompt, found.minutes) == (
            "Arriving gently",
            "Slowly.",
            "What helps?",
            15,
        )

    # Deleting asks first; the question and an unconfirmed POST change nothing.
    before = snapshot(app)
    question = text(desk.get(f"{base}/{ids['Boundaries']}/delete"))
    assert "Delete “Boundaries”?" in question
    assert "marked done by: 0" in question
    unconfirmed = desk.post(f"{base}/{ids['Boundaries']}/delete")
    assert unconfirmed.headers["Location"] == f"{base}/{ids['Boundaries']}/delete"
    assert differences(before, snapshot(app)) == {}
    desk.post(f"{base}/{ids['Boundaries']}/delete", data={"confirm": "yes"})
    assert titles(app, made) == [(1, "Arriving gently"), (2, "The body")]
    # A second tap: a calm word, nothing else goes.
    again = text(
        desk.post(
            f"{base}/{ids['Boundaries']}/delete", data={"confirm": "yes"}, follow_redirects=True
        )
    )
    assert "That session is no longer there." in again
    assert titles(app, made) == [(1, "Arriving gently"), (2, "The body")]


def ids_of(app, program_id: int) -> list[int]:
    with app.app_context():
        return [s.id for s in sessions.sessions_of(program_id)]


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("minutes", "0", "Choose from 1 to 240, or leave it empty."),
        ("minutes", "241", "Choose from 1 to 240, or leave it empty."),
        ("minutes", "ten", "Please type a whole number, like 12."),
        ("body", "", "Please fill this in."),
        ("title", "x" * 121, "Field cannot be longer than 120 characters."),
    ],
)
def test_a_refused_session_keeps_what_was_typed_and_writes_nothing(
    app, auth, clock, staff, field, value, said
):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    desk = signed_in(app, auth, staff)
    form = {
        "title": "Arriving",
        "body": "Notice your feet.",
        "prompt": "What helps you?",
        "minutes": "20",
    }
    form[field] = value
    before = snapshot(app)
    response = desk.post(f"/programs/{made}/sessions/new", data=form)
    assert response.status_code == 400
    page = text(response)
    assert said in page
    for name, typed in form.items():
        if name != field:
            assert typed in page, name
    assert differences(before, snapshot(app)) == {}


def test_one_minute_and_four_hours_are_the_bounds(app, clock, staff, in_request):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    for minutes in (1, 240, None):
        sessions.add_session(made, sessions.SessionDetails("T", "B", "", minutes), now=clock())
    for minutes in (0, 241, -5):
        with pytest.raises(sessions.ProgramError):
            sessions.add_session(made, sessions.SessionDetails("T", "B", "", minutes), now=clock())
    assert [s.minutes for s in sessions.sessions_of(made)] == [1, 240, None]


def test_only_those_who_run_it_write_sessions(app, auth, clock, staff, course, member):
    program_id, (first, *_rest) = course
    other_staff = signed_in(app, auth, make_account(app, "birch-staff", role="staff"))
    admin = signed_in(app, auth, make_account(app, "wren-admin", role="admin"))
    base = f"/programs/{program_id}/sessions"
    for path in (
        base,
        f"{base}/{first}",
        f"{base}/new",
        f"{base}/{first}/edit",
        f"{base}/{first}/delete",
    ):
        assert other_staff.get(path).status_code == 404, path
        assert admin.get(path).status_code == 200, path
    member_client = signed_in(app, auth, member)
    before = snapshot(app)
    assert other_staff.post(f"{base}/new", data={"title": "T", "body": "B"}).status_code == 404
    assert other_staff.post(f"{base}/{first}/delete", data={"confirm": "yes"}).status_code == 404
    assert member_client.get(f"{base}/new").status_code == 403
    assert differences(before, snapshot(app)) == {}


# Members follow them


def test_a_member_with_a_place_marks_sessions_done_and_takes_a_mark_back(app, auth, course, member):
    program_id, (first, second, third) = course
    client = placed(app, auth, member, program_id)
    base = f"/programs/{program_id}/sessions"
    listed = text(client.get(base))
    assert "0 of 3 done." in listed
    assert "Session 1" in listed
    assert "Session 3" in listed

    opened = client.get(f"{base}/{second}").get_data(as_text=True)
    assert "Words of <strong>session 2</strong>." in opened
    assert "What stayed with you from session 2?" in opened
    assert "nowhere to answer it here, and nothing about it is kept" in opened
    assert "Session 2 of 3" in opened
    # The mark's form holds nothing a member could write.
    form = re.search(r'<form method="post" action="[^"]*/done">(.*?)</form>', opened, re.S).group(1)
    assert re.findall(r'name="([^"]+)"', form) == ["csrf_token"]
    assert "<textarea" not in opened

    said = text(client.post(f"{base}/{second}/done", follow_redirects=True))
    assert "Marked done. 1 of 3 done." in said
    assert "You marked this session done." in said
    # Twice (a double tap, sent again with words it may not keep): still one mark, nothing else.
    client.post(f"{base}/{second}/done", data={"note": "how I felt"})
    assert marks(app) == 1
    client.post(f"{base}/{third}/done")
    assert "2 of 3 done." in text(client.get(base))
    assert "2 of 3 done." in text(client.get(f"/programs/{program_id}"))

    taken_back = text(client.post(f"{base}/{second}/not-done", follow_redirects=True))
    assert "The mark is taken back. 1 of 3 done." in taken_back
    assert marks(app) == 1
    with app.app_context():
        assert {c.name for c in SessionProgress.__table__.columns} == {
            "id",
            "enrollment_id",
            "session_id",
        }


@pytest.mark.parametrize("place", ["none", "waitlisted", "pending"])
def test_without_a_confirmed_place_the_sessions_are_not_there(
    app, auth, clock, staff, member, other_member, place
):
    made = make_program(
        app, staff.id, now=clock(), meetings=0, capacity=1, needs_approval=place == "pending"
    ).id
    (first,) = make_sessions(app, made, 1, now=clock())
    if place == "waitlisted":
        placed(app, auth, other_member, made)
    client = placed(app, auth, member, made) if place != "none" else signed_in(app, auth, member)
    base = f"/programs/{made}/sessions"
    before = snapshot(app)
    for path in (base, f"{base}/{first}"):
        assert client.get(path).status_code == 404
    assert client.post(f"{base}/{first}/done").status_code == 404
    assert differences(before, snapshot(app)) == {}
    assert "Open the sessions" not in text(client.get(f"/programs/{made}"))


# Staff see counts only


def test_staff_see_how_many_finished_each_session_with_small_counts_hidden(
    app, auth, clock, staff, in_request
):
    made = make_program(app, staff.id, now=clock(), meetings=0, capacity=20).id
    first, second, third, fourth = make_sessions(app, made, 4, now=clock())
    people = [make_account(app, f"member-{n:02d}") for n in range(6)]
    for n, person in enumerate(people):
        account = db.session.get(Account, person.id)
        services.enroll(account, made, now=clock())
        # Session 1: all six; session 2: five; session 3: four; session 4: nobody.
        for session_id, upto in ((first, 6), (second, 5), (third, 4)):
            if n < upto:
                sessions.mark(account, made, session_id, done=True)
    db.session.commit()

    desk = signed_in(app, auth, staff)
    page = text(desk.get(f"/programs/{made}/sessions"))
    lines = re.findall(r"Marked done by: ([^·<]+?)\s*(?:·|</p>)", page)
    assert lines == ["6", "5", "fewer than 5", "0"]
    for person in people:
        assert person.pseudonym not in page
    one = text(desk.get(f"/programs/{made}/sessions/{third}"))
    assert "Marked done by: fewer than 5" in one
    assert "Marked done by: 4" not in one


# Marks are part of the place


def both_mark(app, auth, program_id: int, people: tuple, mine: tuple, theirs: int):
    """The member marks sessions `mine` done, the other member `theirs`: their clients."""
    client, other = (placed(app, auth, person, program_id) for person in people)
    for session_id in mine:
        client.post(f"/programs/{program_id}/sessions/{session_id}/done")
    other.post(f"/programs/{program_id}/sessions/{theirs}/done")
    return client, other


def test_withdrawing_deletes_the_marks_with_the_place(app, auth, course, member, other_member):
    program_id, (first, second, _third) = course
    client, _other = both_mark(
        app, auth, program_id, (member, other_member), (first, second), first
    )
    assert marks(app) == 3
    client.post(f"/programs/{program_id}/withdraw", data={"confirm": "yes"})
    assert marks(app) == 1  # only the other member's


def test_the_export_lists_the_sessions_done_and_deletion_takes_them(
    app, auth, clock, course, member, other_member
):
    program_id, (first, second, third) = course
    client, _other = both_mark(
        app, auth, program_id, (member, other_member), (third, first), second
    )

    exported = client.post("/account/export", data={"password": member.password})
    (place,) = json.loads(exported.get_data(as_text=True))["programs"]
    assert place["sessions_done"] == ["Session 1", "Session 3"]  # in the program's order
    held = text(client.get("/account"))
    assert "Sessions of programs you marked done" in held

    deleted = client.post(
        "/account/delete", data={"password": member.password, "published_stories": "delete"}
    )
    assert deleted.status_code == 303
    assert marks(app) == 1  # the other member's mark stays
    with app.app_context():
        assert db.session.scalar(select(SessionProgress.session_id)) == second


def test_the_purge_takes_the_marks_with_the_places(app, clock, staff, member, other_member):
    """Places go 365 days after the program's last day (DESIGN §4), in the site's calendar
    (New York): kept through that day, gone the day after, and the marks with them."""
    made = make_program(app, staff.id, now=clock(), meetings=0, starts_in=-30, ends_in=-1)
    (first,) = make_sessions(app, made.id, 1, now=clock())
    with app.app_context():
        for person in (member, other_member):
            account = db.session.get(Account, person.id)
            services.enroll(account, made.id, now=clock())
            sessions.mark(account, made.id, first, done=True)
        db.session.commit()
        ended = db.session.get(Program, made.id).ends_on
    assert ended == date(2026, 11, 26)
    last_kept = datetime(2027, 11, 26, 23, 59, tzinfo=NEW_YORK)  # 26 November 2026 + 365 days
    keep_signed_in(app, last_kept.date())
    assert purge_at(app, last_kept)["program enrollments"] == 0
    assert marks(app) == 2
    assert purge_at(app, last_kept + timedelta(minutes=1))["program enrollments"] == 2
    assert marks(app) == 0
    with app.app_context():
        assert db.session.get(ProgramSession, first) is not None  # the program's own words stay
