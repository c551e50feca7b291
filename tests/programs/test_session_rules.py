"""Sessions' rules held at the service (advocacy/programs/sessions.py; DESIGN §3 Programs).

tests/programs/test_sessions.py walks the pages; this module holds what the services
promise any caller, whichever page or job calls them:

- check(): what the form would not send is refused with its own calm words (a body
  blank or over 20,000 characters, a prompt over 1,000, minutes outside 1 to 240), and the
  bounds themselves are allowed.
- A session belongs to one program: through another program's address it is not there
  (SessionGone, 404), for those who run that program and for its members alike.
- mark(): only the account's own confirmed place in that very program marks a session
  (a place elsewhere, waiting or pending is none); it returns whether the session was
  already done, and taking a mark back takes only that place's mark of that session.
- Staff's counts come in the sessions' order (their positions), not the order written.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import services, sessions
from advocacy.programs.models import Enrollment, SessionProgress
from tests.support.accounts import said
from tests.support.programs import make_program, make_sessions
from tests.support.snapshots import differences, snapshot


def details(**changed) -> sessions.SessionDetails:
    """Details the form would send, with `changed` put in."""
    typed = {"title": "Arriving", "body": "Notice your feet.", "prompt": "", "minutes": 20}
    return sessions.SessionDetails(**{**typed, **changed})


@pytest.mark.parametrize(
    ("changed", "words"),
    [
        ({"body": "   "}, "Please write the session, in up to 20,000 characters."),
        ({"body": "b" * 20_001}, "Please write the session, in up to 20,000 characters."),
        ({"prompt": "p" * 1_001}, "Please keep the prompt under 1,000 characters."),
        ({"minutes": 0}, "Choose from 1 to 240 minutes, or leave it empty."),
        ({"minutes": 241}, "Choose from 1 to 240 minutes, or leave it empty."),
    ],
)
def test_details_the_form_would_not_send_are_refused_in_their_own_words(
    app, clock, staff, in_request, changed, words
):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    (first,) = make_sessions(app, made, 1, now=clock())
    before = snapshot(app)
    with pytest.raises(services.ProgramError) as added:
        sessions.add_session(made, details(**changed), now=clock())
    assert said(added) == words
    with pytest.raises(services.ProgramError) as updated:
        sessions.update_session(made, first, details(**changed))
    assert said(updated) == words
    db.session.rollback()
    assert differences(before, snapshot(app)) == {}


def test_the_longest_body_and_prompt_are_allowed(app, clock, staff, in_request):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    added = sessions.add_session(
        made, details(body="b" * 20_000, prompt="p" * 1_000, minutes=None), now=clock()
    )
    assert (len(added.body), len(added.prompt), added.minutes) == (20_000, 1_000, None)


@pytest.fixture
def two_programs(app, clock, staff):
    """Two programs of the staff member's, each with two sessions: {program id: sessions}."""
    made = [
        make_program(app, staff.id, now=clock(), meetings=0, title=title).id
        for title in ("Healing together", "Leading together")
    ]
    return {program_id: make_sessions(app, program_id, 2, now=clock()) for program_id in made}


def test_a_session_is_not_there_through_another_programs_address(
    app, auth, clock, staff, member, two_programs
):
    (mine, others) = two_programs
    theirs = two_programs[others][0]
    client = app.test_client()
    auth.login(member, client=client)
    client.post(f"/programs/{mine}/enroll")
    desk = app.test_client()
    auth.login(staff, client=desk)
    before = snapshot(app)
    for reader in (client, desk):
        assert reader.get(f"/programs/{mine}/sessions/{theirs}").status_code == 404
    assert client.post(f"/programs/{mine}/sessions/{theirs}/done").status_code == 303
    assert desk.get(f"/programs/{mine}/sessions/{theirs}/edit").status_code == 404
    assert differences(before, snapshot(app)) == {}

    with app.test_request_context():
        assert sessions.session_in(mine, theirs) is None
        assert sessions.session_in(others, theirs).id == theirs
        account = db.session.get(Account, member.id)
        with pytest.raises(sessions.SessionGone):
            sessions.mark(account, mine, theirs, done=True)
        with pytest.raises(sessions.SessionGone):
            sessions.update_session(mine, theirs, details())
        db.session.rollback()
    assert differences(before, snapshot(app)) == {}


def place_in(program_id: int, account: Account, clock) -> Enrollment:
    return services.enroll(account, program_id, now=clock())


def test_only_a_confirmed_place_in_that_program_marks_its_sessions(
    app, clock, staff, member, other_member, in_request
):
    held = make_program(app, staff.id, now=clock(), meetings=0, capacity=1).id
    asked = make_program(app, staff.id, now=clock(), meetings=0, needs_approval=True).id
    elsewhere = make_program(app, staff.id, now=clock(), meetings=0).id
    sessions_of = {pid: make_sessions(app, pid, 1, now=clock())[0] for pid in (held, asked)}
    account = db.session.get(Account, member.id)
    # A confirmed place elsewhere, a waiting one and a pending one: none is a place here.
    place_in(elsewhere, account, clock)
    place_in(held, db.session.get(Account, other_member.id), clock)
    assert place_in(held, account, clock).status == "waitlisted"
    assert place_in(asked, account, clock).status == "pending"
    db.session.commit()
    for program_id, session_id in sessions_of.items():
        with pytest.raises(sessions.NoPlaceForSessions):
            sessions.mark(account, program_id, session_id, done=True)
    assert db.session.scalars(select(SessionProgress)).all() == []


def test_mark_says_whether_the_session_was_done_and_takes_back_only_that_mark(
    app, clock, staff, member, other_member, in_request
):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    first, second = make_sessions(app, made, 2, now=clock())
    elsewhere = make_program(app, staff.id, now=clock(), meetings=0).id
    (away,) = make_sessions(app, elsewhere, 1, now=clock())
    me, them = (db.session.get(Account, person.id) for person in (member, other_member))
    # The member's place elsewhere comes first: the mark must still be this program's place.
    away_place = place_in(elsewhere, me, clock)
    mine = place_in(made, me, clock)
    place_in(made, them, clock)
    assert sessions.mark(me, elsewhere, away, done=True) is False

    assert sessions.mark(me, made, first, done=True) is False  # not done before
    assert sessions.mark(me, made, first, done=True) is True  # already done: one mark
    assert sessions.mark(me, made, second, done=True) is False
    assert sessions.mark(them, made, first, done=True) is False  # their own place's mark
    assert sessions.done_ids(mine.id) == {first, second}

    assert sessions.mark(me, made, first, done=False) is True  # it was done
    assert sessions.mark(me, made, first, done=False) is False  # no longer
    assert sessions.done_ids(mine.id) == {second}  # the other session's mark stays
    assert sessions.done_ids(away_place.id) == {away}
    theirs = services.enrollment_of(them.id, made)
    assert sessions.done_ids(theirs.id) == {first}  # the other member's mark stays


def test_staff_counts_follow_the_sessions_order_after_a_move(app, clock, staff, in_request):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    first, second, third = make_sessions(app, made, 3, now=clock())
    assert sessions.move_session(made, third, -1) is True
    assert sessions.move_session(made, third, -1) is True
    assert sessions.move_session(made, third, -1) is False  # already first
    expected = [(1, "Session 3"), (2, "Session 1"), (3, "Session 2")]
    listed = [(each.position, each.title) for each in sessions.sessions_of(made)]
    counted = [(f.session.position, f.session.title) for f in sessions.finished_counts(made)]
    assert listed == counted == expected


def test_staff_read_that_a_session_moved(app, auth, clock, staff):
    made = make_program(app, staff.id, now=clock(), meetings=0).id
    _first, second = make_sessions(app, made, 2, now=clock())
    auth.login(staff)
    base = f"/programs/{made}/sessions"
    moved = auth.client.post(
        f"{base}/{second}/move", data={"direction": "earlier"}, follow_redirects=True
    )
    said_now = html.unescape(moved.get_data(as_text=True))
    assert "The session is moved." in said_now
    assert "Nothing was changed." not in said_now
