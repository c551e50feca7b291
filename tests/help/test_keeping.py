"""Staff and admins keep the library: add, change and remove resources through the forms.
Members and mentors are refused (403) and nothing is written; a refused form comes back
with a calm message beside its field and everything else as typed, and nothing of it is
kept (tests/access_table.py checks every role on every route as well)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from advocacy.extensions import db
from advocacy.help import services
from advocacy.help.models import Resource, ResourceWord
from tests.support.accounts import make_account
from tests.support.help import make_resource, resource_form
from tests.support.snapshots import differences, snapshot


def rows(app) -> tuple[int, int]:
    """(resources, search words) in the database."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Resource)),
            db.session.scalar(select(func.count()).select_from(ResourceWord)),
        )


def stored(app, resource_id: int) -> Resource | None:
    with app.app_context():
        resource = db.session.get(Resource, resource_id)
        if resource is not None:
            db.session.expunge(resource)
        return resource


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admins_add_a_resource_that_readers_then_find(app, auth, clock, role):
    auth.login(make_account(app, f"keeper-{role}", role=role))
    page = auth.client.get("/help/new")
    assert page.status_code == 200
    response = auth.client.post("/help/new", data=resource_form())
    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalar(select(Resource))
        words = set(db.session.scalars(select(ResourceWord.word)))
    assert response.headers["Location"] == f"/help/{made.id}"
    assert (made.title, made.category, made.area, made.is_public) == (
        "T visa basics",
        "legal",
        "Nationwide",
        True,
    )
    assert made.outside_url == "https://www.uscis.gov/"
    assert made.created_at == made.updated_at == clock()
    assert words == {"t", "visa", "basics", "who", "can", "apply", "and", "what", "it", "gives"}
    visitor = app.test_client()
    assert "T visa basics" in visitor.get("/help?q=visa").get_data(as_text=True)


@pytest.mark.parametrize("role", ["member", "mentor"])
def test_members_and_mentors_are_refused_and_nothing_is_written(app, auth, role):
    resource = make_resource(app)
    auth.login(make_account(app, f"reader-{role}", role=role))
    before = snapshot(app)
    for path, form in (
        ("/help/new", resource_form()),
        (f"/help/{resource}/edit", resource_form(title="Changed")),
        (f"/help/{resource}/remove", {"confirm": "yes"}),
    ):
        assert auth.client.get(path).status_code == 403
        assert auth.client.post(path, data=form).status_code == 403
    assert differences(before, snapshot(app)) == {}
    assert "Add a resource" not in auth.client.get("/help").get_data(as_text=True)


REFUSED = [
    ({"outside_url": "http://www.uscis.gov/"}, "outside_url", "starts with https://"),
    ({"outside_url": "https://a@b.example/"}, "outside_url", "nothing before “@”"),
    ({"title": ""}, "title", "Please fill this in."),
    ({"area": "x" * 81}, "area", "80 characters"),
    ({"category": "immigration"}, "category", "Please choose a topic from the list."),
    ({"language": "xx"}, "language", "Please choose a language from the list."),
    ({"body": "", "outside_url": ""}, "body", "or give an outside link"),
    ({"body": "See [it](http://example.org/)."}, "body", "A link in the text"),
]


@pytest.mark.parametrize(("changes", "field", "said"), REFUSED)
def test_a_refused_form_says_why_keeps_the_rest_and_writes_nothing(
    app, auth, staff, changes, field, said
):
    auth.login(staff)
    before = snapshot(app)
    sent = resource_form(summary="Kept as typed: “quotes” & all.", **changes)
    response = auth.client.post("/help/new", data=sent)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert said in page
    assert f'id="{field}-error"' in page
    assert "Kept as typed: “quotes” & all." in page
    if changes.get("title", "x"):
        assert 'value="T visa basics"' in page
    assert differences(before, snapshot(app)) == {}


def test_staff_change_a_resource_and_unticking_hides_it_from_visitors(app, auth, clock, staff):
    resource = make_resource(app, title="Old title", is_public=True)
    auth.login(staff)
    form = auth.client.get(f"/help/{resource}/edit").get_data(as_text=True)
    assert 'value="Old title"' in form
    clock.advance(minutes=5)
    changed = resource_form(title="New title")
    del changed["is_public"]  # an unticked box is not sent
    response = auth.client.post(f"/help/{resource}/edit", data=changed)
    assert response.status_code == 303
    now = stored(app, resource)
    assert (now.title, now.is_public, now.updated_at) == ("New title", False, clock())
    visitor = app.test_client()
    assert visitor.get(f"/help/{resource}").status_code == 404
    assert "Checked on" in auth.client.get(f"/help/{resource}").get_data(as_text=True)


def test_a_form_sent_with_its_fields_missing_changes_nothing(app, auth, staff):
    resource = make_resource(app, is_public=True)
    auth.login(staff)
    before = snapshot(app)
    assert auth.client.post(f"/help/{resource}/edit", data={}).status_code == 400
    assert auth.client.post(f"/help/{resource}/edit", data={"title": "Only"}).status_code == 400
    assert differences(before, snapshot(app)) == {}


def test_removing_asks_first_then_takes_the_resource_and_its_words(app, auth, staff):
    resource = make_resource(app, title="Going soon")
    keep = make_resource(app, title="Staying here")
    auth.login(staff)
    before = snapshot(app)
    asked = auth.client.get(f"/help/{resource}/remove")
    assert asked.status_code == 200
    assert "Remove “Going soon”?" in html.unescape(asked.get_data(as_text=True))
    # Without the button's confirm=yes: asked again, nothing removed.
    assert auth.client.post(f"/help/{resource}/remove", data={}).status_code == 400
    assert differences(before, snapshot(app)) == {}
    response = auth.client.post(f"/help/{resource}/remove", data={"confirm": "yes"})
    assert (response.status_code, response.headers["Location"]) == (303, "/help")
    assert stored(app, resource) is None
    with app.app_context():
        left = set(db.session.scalars(select(ResourceWord.resource_id)))
    assert left == {keep}
    assert auth.client.get(f"/help/{resource}").status_code == 404
    again = auth.client.post(f"/help/{resource}/remove", data={"confirm": "yes"})
    assert again.status_code == 404


def test_nothing_is_half_written_when_the_words_cannot_be_kept(app, auth, staff, monkeypatch):
    """The resource and its words are one write: if the words fail, neither is kept."""

    def refuse(_resource):
        raise services.ResourceInvalid("The words could not be kept.", "title")

    monkeypatch.setattr(services, "index_words", refuse)
    auth.login(staff)
    before = rows(app)
    response = auth.client.post("/help/new", data=resource_form())
    assert response.status_code == 400
    assert "The words could not be kept." in response.get_data(as_text=True)
    assert rows(app) == before
