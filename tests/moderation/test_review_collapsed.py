"""Every story starts closed on the review page (issue 15, point 3).

Rules: behind its title and its warnings, or "No warning given." when it has none, in a
<details> (works without JavaScript) that opens on request; a moderator (mentor or admin)
may choose, on their account page, to have stories open at once. The choice is personal
data: in the export, and gone with the account. Members and staff are still refused.
"""

from __future__ import annotations

import json

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.moderation.reading import main_of
from tests.support.accounts import load_account, make_account
from tests.support.stories import make_story

PHONE = "555-123-4567"
BODY = f"They kept me in a house. Call {PHONE}."
NO_WARNING = "No warning given."
CHOICE = "opens_stories_in_review"


def review(client, story_id: int):
    response = client.get(f"/moderation/stories/{story_id}")
    assert response.status_code == 200
    return main_of(response.get_data(as_text=True))


def save_preferences(client, **extra):
    response = client.post("/account/preferences", data={"locale": "", "timezone": "", **extra})
    assert response.status_code == 303
    return response


@pytest.mark.parametrize(
    ("warnings", "summary"),
    [(["violence", "family"], "This story mentions: Family, Violence."), ([], NO_WARNING)],
)
def test_every_story_starts_closed_behind_its_title_and_warnings(
    app, client, auth, member, mentor, warnings, summary
):
    story_id = make_story(
        app, member.id, state="pending", title="The long road", body=BODY, warnings=warnings
    )
    auth.login(mentor)
    main = review(client, story_id)
    (closed,) = main.find_all("details")
    assert "open" not in closed.attrs
    (said,) = closed.find_all("summary")
    assert summary in said.text()
    assert "Open the story" in said.text()
    assert "They kept me in a house." in closed.text()
    # Outside the closed part: the title, the warnings, no word of the story, no finding.
    outside = main.without("details").text()
    assert "The long road" in outside
    assert "They kept me in a house." not in outside
    assert PHONE not in outside
    assert (NO_WARNING in main.text()) == (not warnings)


@pytest.mark.parametrize("role", ["mentor", "admin"])
def test_a_moderator_may_choose_to_have_stories_open(
    app, client, auth, member, mentor, admin, role
):
    moderator = {"mentor": mentor, "admin": admin}[role]
    story_id = make_story(app, member.id, state="pending", body=BODY, warnings=["violence"])
    auth.login(moderator)
    account_page = client.get("/account").get_data(as_text=True)
    assert f'name="{CHOICE}"' in account_page
    save_preferences(client, **{CHOICE: "y"})
    assert load_account(app, moderator.id).opens_stories_in_review is True
    (opened,) = review(client, story_id).find_all("details")
    assert "open" in opened.attrs
    assert "This story mentions: Violence." in opened.find_all("summary")[0].text()
    # And back: unticked, stories start closed again.
    save_preferences(client)
    assert load_account(app, moderator.id).opens_stories_in_review is False
    (closed,) = review(client, story_id).find_all("details")
    assert "open" not in closed.attrs


@pytest.mark.parametrize("role", ["member", "staff"])
def test_only_moderators_are_offered_the_choice_or_keep_it(app, client, auth, member, staff, role):
    account = {"member": member, "staff": staff}[role]
    auth.login(account)
    assert CHOICE not in client.get("/account").get_data(as_text=True)
    save_preferences(client, **{CHOICE: "y"})
    assert load_account(app, account.id).opens_stories_in_review is False


def test_the_choice_is_in_the_export_and_goes_with_the_account(app, client, auth, mentor):
    auth.login(mentor)
    export = client.post("/account/export", data={"password": mentor.password})
    assert json.loads(export.data)["account"][CHOICE] is False
    save_preferences(client, **{CHOICE: "y"})
    export = client.post("/account/export", data={"password": mentor.password})
    assert json.loads(export.data)["account"][CHOICE] is True
    response = client.post(
        "/account/delete", data={"password": mentor.password, "published_stories": "delete"}
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Account, mentor.id) is None


@pytest.mark.parametrize("role", ["member", "staff"])
def test_members_and_staff_are_still_refused_the_review_page_and_the_queue(
    app, client, auth, member, staff, role
):
    author = make_account(app, "ash-author")
    story_id = make_story(app, author.id, state="pending", body=BODY, warnings=["violence"])
    auth.login({"member": member, "staff": staff}[role])
    for path in (f"/moderation/stories/{story_id}", "/moderation"):
        response = client.get(path)
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert PHONE not in page
        assert "They kept me in a house." not in page
        assert "reviewed" not in page
