"""A member who completed a program reads so on their home page and in the program list,
not "you have a place", as if it were still to do; undone, the place reads as a place again.

A program that ended without a completion stays on the member's home page, said calmly
with its last day ("it ended on 26 November 2026", in the reader's language), never "you
have a place" and never dropped as if it had not happened (issue 13, a newcomer's try);
a cancelled one is not listed (its notice said so).
"""

from __future__ import annotations

import re

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import completion, services
from advocacy.programs.models import Program
from tests.support.programs import make_program


def enroll(app, staff, member, title: str, clock) -> tuple[int, int]:
    """A program that began yesterday, with the member's place: (program id, place id)."""
    program = make_program(app, staff.id, now=clock(), title=title, meetings=0, starts_in=-1)
    with app.app_context():
        place = services.enroll(db.session.get(Account, member.id), program.id, now=clock())
        db.session.commit()
        return program.id, place.id


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def on_home(html: str, title: str) -> str:
    """What the home page's "Your programs" says in brackets after a program's title."""
    return re.search(rf">{title}</a>\s*\(([^)]*)\)", html).group(1)


def in_list(html: str, title: str) -> str:
    """The text of a program's card in the program list."""
    card = re.search(rf">{title}</a></h2>(.*?)</li>", html, re.DOTALL).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


def test_a_completed_place_reads_as_completed_until_undone(app, client, auth, clock, staff, member):
    done_program, done_place = enroll(app, staff, member, "Finished together", clock)
    enroll(app, staff, member, "Still going", clock)
    with app.app_context():
        completion.complete(done_program, done_place, now=clock())
        db.session.commit()
    auth.login(member)

    home, listed = page(client, "/"), page(client, "/programs")
    assert on_home(home, "Finished together") == "you completed it"
    assert on_home(home, "Still going") == "you have a place"
    assert "You completed it" in in_list(listed, "Finished together")
    assert "You have a place" not in in_list(listed, "Finished together")
    assert "You have a place" in in_list(listed, "Still going")
    assert "You completed it" not in in_list(listed, "Still going")

    with app.app_context():
        completion.undo_completion(done_program, done_place, now=clock())
        db.session.commit()
    home, listed = page(client, "/"), page(client, "/programs")
    assert on_home(home, "Finished together") == "you have a place"
    assert "You have a place" in in_list(listed, "Finished together")


def test_a_program_that_ended_without_completion_reads_ended_on_its_last_day(
    app, client, auth, clock, staff, member
):
    # The clock: 27 November 2026, 07:00 in New York.
    ended, _place = enroll(app, staff, member, "Spring circle", clock)
    marked, _place = enroll(app, staff, member, "Marked done", clock)
    cancelled, _place = enroll(app, staff, member, "Called off", clock)
    enroll(app, staff, member, "Still going", clock)
    with app.app_context():
        db.session.get(Program, ended).ends_on = clock().date().replace(day=26)
        db.session.get(Program, marked).status = "completed"  # by staff, before its last day
        db.session.get(Program, cancelled).status = "cancelled"
        db.session.commit()
    auth.login(member)

    home = page(client, "/")
    assert on_home(home, "Spring circle") == "it ended on 26 November 2026"
    assert on_home(home, "Marked done") == "it has ended"
    assert on_home(home, "Still going") == "you have a place"
    assert "Called off" not in home
    assert "Your completion letter" not in home  # nothing completed, no letter offered
    assert home.index("Still going") < home.index("Spring circle")  # running ones first

    spanish = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert on_home(spanish, "Spring circle") == "terminó el 26 de noviembre de 2026"
    assert on_home(spanish, "Marked done") == "ya terminó"
