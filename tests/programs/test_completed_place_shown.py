"""A member who completed a program reads so on their home page and in the program list,
not "you have a place", as if it were still to do; undone, the place reads as a place again.
"""

from __future__ import annotations

import re

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.programs import completion, services
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
