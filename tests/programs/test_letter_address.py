"""A completion letter is made by a POST and read at a GET address (issue 16, point 3).

POST /programs/<id>/letter makes one letter (one row, one code) and answers 303 to
/programs/<id>/letter/latest (or latest.txt for the plain-text file). Reading that
address again (Reload, Back, Print) shows the same code and makes nothing. The code comes
from a seed kept in the member's session only: in another browser, or once the completion
is undone, the address sends the member to the letter page, with a calm word and no code.
The home page shows a completed program as completed, with a link to its letter.
"""

from __future__ import annotations

import html
import re
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from advocacy.extensions import db
from advocacy.programs import completion, services
from advocacy.programs.models import CompletionLetter, Program
from tests.support.programs import make_program
from tests.support.snapshots import differences, snapshot

CODE = re.compile(r'class="codes-single">([A-Z0-9-]+)<')
TEXT_CODE = re.compile(r"Verification code: ([A-Z0-9-]+)")
NOT_HERE = (
    "A letter is shown again only in the browser that made it, until you sign out. You can "
    "make a new one here."
)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def letters(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CompletionLetter))


def completed(app, auth, clock, staff, member, **program):
    """The member, signed in, completed a program that began yesterday: (client, id)."""
    made = make_program(app, staff.id, now=clock(), starts_in=-1, **program).id
    client = app.test_client()
    auth.login(member, client=client)
    client.post(f"/programs/{made}/enroll")
    with app.app_context():
        completion.complete(made, services.enrollment_of(member.id, made).id, now=clock())
        db.session.commit()
    return client, made


def test_reload_shows_the_same_letter_and_makes_no_other(app, auth, clock, staff, member):
    client, made = completed(app, auth, clock, staff, member, title="Open hearts")
    made_now = client.post(f"/programs/{made}/letter")
    assert made_now.status_code == 303
    assert made_now.headers["Location"] == f"/programs/{made}/letter/latest"
    assert letters(app) == 1

    first = text(client.get(f"/programs/{made}/letter/latest"))
    (code,) = CODE.findall(first)
    assert "completed the healing program “Open hearts”" in first
    before = snapshot(app)
    for _reload in range(3):
        assert CODE.findall(text(client.get(f"/programs/{made}/letter/latest"))) == [code]
    assert differences(before, snapshot(app)) == {}
    assert letters(app) == 1
    verified = text(app.test_client().post("/programs/verify", data={"code": code}))
    assert "This code is genuine" in verified
    # The letter page offers the letter made last, too.
    assert f'href="/programs/{made}/letter/latest"' in text(client.get(f"/programs/{made}/letter"))

    # Plain text: its own letter, the same on every download.
    as_text = client.post(f"/programs/{made}/letter", data={"format": "text"})
    assert as_text.headers["Location"] == f"/programs/{made}/letter/latest.txt"
    downloads = [client.get(f"/programs/{made}/letter/latest.txt") for _ in range(2)]
    assert downloads[0].mimetype == "text/plain"
    assert (
        downloads[0].headers["Content-Disposition"]
        == 'attachment; filename="completion-letter.txt"'
    )
    codes = {TEXT_CODE.search(d.get_data(as_text=True)).group(1) for d in downloads}
    assert len(codes) == 1
    assert codes != {code}  # a new letter was asked for
    assert letters(app) == 2


def test_another_browser_or_an_undone_completion_shows_no_letter(app, auth, clock, staff, member):
    client, made = completed(app, auth, clock, staff, member)
    client.post(f"/programs/{made}/letter")
    elsewhere = app.test_client()
    auth.login(member, client=elsewhere)
    moved = elsewhere.get(f"/programs/{made}/letter/latest")
    assert moved.status_code == 302
    assert moved.headers["Location"] == f"/programs/{made}/letter"
    page = text(elsewhere.get(f"/programs/{made}/letter/latest", follow_redirects=True))
    assert NOT_HERE in page
    assert not CODE.findall(page)

    with app.app_context():
        enrollment = services.enrollment_of(member.id, made)
        completion.undo_completion(made, enrollment.id, now=clock())
        db.session.commit()
    gone = client.get(f"/programs/{made}/letter/latest")
    assert gone.headers["Location"] == f"/programs/{made}/letter"
    assert client.get(f"/programs/{made}/letter/latest.txt").status_code == 302


def test_home_shows_a_completed_program_as_completed_with_its_letter(
    app, auth, clock, staff, member
):
    client, made = completed(app, auth, clock, staff, member, title="Finished together")
    with app.app_context():
        db.session.get(Program, made).status = "completed"  # the program itself is over
        db.session.commit()
    home = text(client.get("/"))
    line = re.search(r">Finished together</a>(.*?)</li>", home, re.S).group(1)
    assert "(you completed it)" in line
    assert "you have a place" not in line
    assert f'<a href="/programs/{made}/letter">Your completion letter' in line


def test_a_completion_recorded_after_the_program_ended_says_its_last_day(
    app, auth, clock, staff, member
):
    """Staff often record completions some days late. The member finished with the
    program, so their page, their letter and its verification say its last day; the day
    recorded stays as it was (it is what an undo goes by)."""
    made = make_program(app, staff.id, now=clock(), starts_in=-1, ends_in=2, title="Late").id
    client = app.test_client()
    auth.login(member, client=client)
    client.post(f"/programs/{made}/enroll")
    clock.advance(days=9)  # the program ended a week ago
    with app.app_context():
        place = services.enrollment_of(member.id, made)
        completion.complete(made, place.id, now=clock())
        db.session.commit()
        last_day, recorded = db.session.get(Program, made).ends_on, place.completed_on
    assert recorded > last_day
    auth.login(member, client=client)  # a week later: signed in again
    said, not_said = (f"{d.day} {d:%B} {d.year}" for d in (last_day, recorded))

    assert f"You completed this program on {said}." in text(client.get(f"/programs/{made}"))
    assert f"You completed this program on {said}." in text(client.get(f"/programs/{made}/letter"))
    client.post(f"/programs/{made}/letter")
    letter = text(client.get(f"/programs/{made}/letter/latest"))
    assert f"to {said}, on {said}." in letter
    client.post(f"/programs/{made}/letter", data={"format": "text"})
    assert f"to {said}, on {said}." in text(client.get(f"/programs/{made}/letter/latest.txt"))
    (code,) = CODE.findall(letter)
    verified = text(app.test_client().post("/programs/verify", data={"code": code}))
    assert f"completed on {said}." in verified
    for page in (letter, verified):
        assert not_said not in page


def test_staff_see_the_day_the_member_sees_and_are_told_before_recording_late(
    app, auth, clock, staff, member
):
    """The roster and the completion page say the day the member's page and letter say;
    recording after the program ended, the page says which day that will be."""
    made = make_program(app, staff.id, now=clock(), starts_in=-1, ends_in=2, title="Late").id
    client = app.test_client()
    auth.login(member, client=client)
    client.post(f"/programs/{made}/enroll")
    clock.advance(days=9)  # the program ended a week ago
    desk = app.test_client()
    auth.login(staff, client=desk)
    with app.app_context():
        place = services.enrollment_of(member.id, made).id
        last_day = db.session.get(Program, made).ends_on
    said = f"{last_day.day} {last_day:%B} {last_day.year}"
    page = f"/programs/{made}/roster/{place}/completion"
    asking = text(desk.get(page))
    assert (
        "The program has ended, so their page and their letter say they completed it on its "
        f"last day, {said}." in asking
    )
    desk.post(f"/programs/{made}/roster/{place}/complete", data={"confirm": "yes"})
    assert f"completed this program on {said}." in text(desk.get(page))
    assert f"completed {said}" in text(desk.get(f"/programs/{made}/roster"))


def test_recording_before_the_end_says_the_day_recorded(app, auth, clock, staff, member):
    made = make_program(app, staff.id, now=clock(), starts_in=-1, title="On time").id
    client = app.test_client()
    auth.login(member, client=client)
    client.post(f"/programs/{made}/enroll")
    desk = app.test_client()
    auth.login(staff, client=desk)
    with app.app_context():
        place = services.enrollment_of(member.id, made).id
    page = f"/programs/{made}/roster/{place}/completion"
    assert "its last day" not in text(desk.get(page))
    desk.post(f"/programs/{made}/roster/{place}/complete", data={"confirm": "yes"})
    today = clock().astimezone(ZoneInfo("America/New_York")).date()  # the tests' site zone
    said = f"{today.day} {today:%B} {today.year}"
    assert f"completed this program on {said}." in text(desk.get(page))
    assert f"You completed this program on {said}." in text(client.get(f"/programs/{made}"))
