"""Stories and moderation end to end through the views: visibility, decisions, reports, privacy."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation import services as moderation
from advocacy.moderation.models import ModerationEntry
from advocacy.notices.models import Notice
from advocacy.stories import services
from advocacy.stories.models import Story, StoryReport
from tests.support.accounts import make_account
from tests.support.queries import count_queries
from tests.support.stories import load_story, make_story

STORY_TITLE = re.compile(r'class="story-title"><a href="/stories/\d+">([^<]+)</a>')
FORM = {
    "title": "Walking out",
    "body": "One morning I *walked out*.",
    "audience": "members",
    "byline": "pseudonym",
}


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def notices_of(app, account_id) -> list[tuple[str, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(Notice).where(Notice.account_id == account_id))
        return [(n.kind, n.link) for n in rows]


# Writing and the identity check


def test_draft_is_saved_and_seen_only_by_its_author(app, client, auth, member):
    auth.login(member)
    response = client.post("/stories/new", data={**FORM, "action": "save"})
    assert response.status_code == 303
    story_id = int(response.headers["Location"].split("/")[2])
    assert load_story(app, story_id).status == "draft"
    assert "Walking out" in client.get("/stories/mine").get_data(as_text=True)
    assert client.get(f"/stories/{story_id}").status_code == 404
    assert "Walking out" not in client.get("/stories").get_data(as_text=True)


def test_identity_check_stops_submission_until_fixed_or_confirmed(app, client, auth, member):
    auth.login(member)
    data = {**FORM, "body": "Call me on 555-123-4567.", "action": "submit"}
    response = client.post("/stories/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark" in page
    assert "555-123-4567" in page
    assert "looks like a phone number" in page
    assert 'value="Walking out"' in page  # everything kept
    # Still the story they began writing, though its draft is now kept (a newcomer read
    # "Edit your story" here as if they had opened some other one).
    assert "<h1>Write a story</h1>" in page
    assert "<title>Write a story" in page
    assert "Edit your story" not in page
    # The author is told the story waits as a draft, seen by no one else.
    assert (
        "Your story is kept as a draft only you can see. It goes to the mentors when you ask "
        "for review again." in page
    )
    with app.app_context():
        story = db.session.scalars(select(Story)).one()
        story_id, fingerprint = story.id, None
        assert story.status == "draft"
    fingerprint = page.split('name="findings_seen" type="hidden" value="')[1].split('"')[0]
    # Confirming what was shown sends it.
    confirmed = {**data, "findings_seen": fingerprint, "confirm_findings": "y"}
    response = client.post(f"/stories/{story_id}/edit", data=confirmed)
    assert response.status_code == 303
    assert load_story(app, story_id).status == "pending"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("Call me on 555-123-4567.", "Change it below and ask for review again, or tick the "
         "box if it is safe to share."),
        ("Call me on 555-123-4567, or my name is Ana.", "Change them below and ask for review "
         "again, or tick the box if they are safe to share."),
    ],
)  # fmt: skip
def test_the_identity_step_speaks_of_one_finding_or_of_several(client, auth, member, body, said):
    auth.login(member)
    page = client.post("/stories/new", data={**FORM, "body": body, "action": "submit"})
    assert said in html.unescape(page.get_data(as_text=True))


@pytest.mark.parametrize(
    ("state", "heading"),
    [
        (None, "Write a story"),
        ("draft", "Write a story"),  # saved, never sent: still being written
        ("pending", "Edit your story"),
        ("changes_requested", "Edit your story"),
        ("published", "Edit your story"),
    ],
)
def test_the_writing_page_is_headed_by_what_the_story_is(app, client, auth, member, state, heading):
    auth.login(member)
    path = "/stories/new"
    if state:
        path = f"/stories/{make_story(app, member.id, state=state)}/edit"
    page = client.get(path).get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page
    assert f"<title>{heading} ·" in page
    other = {"Write a story", "Edit your story"} - {heading}
    assert other.pop() not in page


def test_asking_again_without_the_box_says_nothing_was_sent(app, client, auth, member):
    auth.login(member)
    data = {**FORM, "body": "Text me at 555-123-4567.", "action": "submit"}
    first = client.post("/stories/new", data=data).get_data(as_text=True)
    told = "Nothing was sent: the box below the story was not ticked."
    assert told not in first  # the first time, the findings are news
    assert '<a href="#confirm_findings">' in first
    assert 'id="confirm_findings"' in first
    story_id = load_story_id(app)
    fingerprint = first.split('name="findings_seen" type="hidden" value="')[1].split('"')[0]
    again = client.post(f"/stories/{story_id}/edit", data={**data, "findings_seen": fingerprint})
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert told in page
    assert "<h1>Write a story</h1>" in page
    assert load_story(app, story_id).status == "draft"  # nothing sent


def test_the_language_buttons_come_back_to_the_saved_draft(app, client, auth, member):
    # The identity check saved the new story: /stories/new would show an empty form.
    auth.login(member)
    comes_back = re.compile(r'<form class="language"[^>]*>.*?name="next" value="([^"]*)"', re.S)
    assert comes_back.search(client.get("/stories/new").get_data(as_text=True))[1] == (
        "/stories/new"
    )
    data = {**FORM, "body": "Text me at 555-123-4567.", "action": "submit"}
    page = client.post("/stories/new", data=data).get_data(as_text=True)
    assert comes_back.search(page)[1] == f"/stories/{load_story_id(app)}/edit"


def load_story_id(app) -> int:
    with app.app_context():
        return db.session.scalars(select(Story.id)).one()


def test_confirming_old_findings_does_not_cover_new_ones(app, client, auth, member):
    auth.login(member)
    story_id = make_story(app, member.id, state="draft")
    data = {
        **FORM,
        "body": "Mail me at a@b.org",
        "action": "submit",
        "findings_seen": "0000000000000000",
        "confirm_findings": "y",
    }
    response = client.post(f"/stories/{story_id}/edit", data=data)
    assert response.status_code == 200
    assert load_story(app, story_id).status == "draft"


def test_invalid_form_keeps_input_and_writes_nothing(app, client, auth, member):
    auth.login(member)
    data = {**FORM, "title": "", "body": "x" * (services.BODY_MAX + 1), "action": "submit"}
    response = client.post("/stories/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please check the highlighted fields" in page
    assert count(app, Story) == 0


def test_smuggled_fields_are_ignored(app, client, auth, member, other_member):
    auth.login(member)
    data = {
        **FORM,
        "action": "save",
        "status": "published",
        "author_id": other_member.id,
        "published_html": "<script>x</script>",
        "hidden_at": "",
    }
    client.post("/stories/new", data=data)
    with app.app_context():
        story = db.session.scalars(select(Story)).one()
        assert (story.status, story.author_id, story.published_html) == ("draft", member.id, None)


# Visibility (Z5)


@pytest.mark.parametrize("state", ["draft", "pending", "changes_requested", "declined"])
def test_unpublished_stories_are_only_for_their_author(
    app, client, auth, member, other_member, mentor, staff, admin, state
):
    story_id = make_story(app, member.id, state=state, title="Private words")
    for who in (None, other_member, mentor, staff, admin, member):
        if who is not None:
            auth.login(who)
        assert client.get(f"/stories/{story_id}").status_code == 404
        assert "Private words" not in client.get("/stories").get_data(as_text=True)
        if who is not None:
            own = who is member
            assert client.get(f"/stories/{story_id}/edit").status_code == (200 if own else 404)
            assert ("Private words" in client.get("/stories/mine").get_data(as_text=True)) == own
            auth.logout()


def test_pending_story_is_in_the_queue_for_mentors_and_admins_only(
    app, client, auth, member, mentor, staff, admin
):
    story_id = make_story(app, member.id, state="pending", title="Waiting words")
    for who, status in ((mentor, 200), (admin, 200), (staff, 403), (member, 403)):
        auth.login(who)
        queue = client.get("/moderation")
        assert queue.status_code == status
        assert ("Waiting words" in queue.get_data(as_text=True)) == (status == 200)
        assert client.get(f"/moderation/stories/{story_id}").status_code == status
        auth.logout()


def test_members_only_story_is_never_shown_to_visitors(app, client, auth, member, other_member):
    story_id = make_story(app, member.id, audience="members", title="Members words")
    assert client.get(f"/stories/{story_id}").status_code == 404
    assert "Members words" not in client.get("/stories").get_data(as_text=True)
    auth.login(other_member)
    assert client.get(f"/stories/{story_id}").status_code == 200
    assert "Members words" in client.get("/stories").get_data(as_text=True)


def test_warned_content_is_collapsed_and_hidden_warnings_hide_the_title(
    app, client, auth, member, other_member
):
    story_id = make_story(app, member.id, warnings=["violence"], title="Hard night")
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert '<details class="warned">' in page
    assert "This story mentions: Violence." in page
    assert '<details class="warned" open' not in page
    auth.login(other_member)
    assert client.post("/account/warnings", data={"hidden": "violence"}).status_code == 303
    listing = client.get("/stories").get_data(as_text=True)
    assert "Hard night" not in listing
    assert "hidden by your settings" in listing


def test_withdrawn_story_leaves_no_row(app, client, auth, member, other_member):
    story_id = make_story(app, member.id, reporters=(other_member.id,))
    auth.login(member)
    assert client.post(f"/stories/{story_id}/withdraw", data={}).status_code == 400
    assert count(app, Story) == 1
    response = client.post(f"/stories/{story_id}/withdraw", data={"confirm": "y"})
    assert response.status_code == 303
    assert count(app, Story) == 0
    assert count(app, StoryReport) == 0
    assert count(app, ModerationEntry) == 0
    assert client.get(f"/stories/{story_id}").status_code == 404


def test_another_member_cannot_edit_share_or_withdraw(app, client, auth, member, other_member):
    story_id = make_story(app, member.id)
    before = load_story(app, story_id)
    auth.login(other_member)
    assert client.get(f"/stories/{story_id}/edit").status_code == 404
    assert (
        client.post(f"/stories/{story_id}/edit", data={**FORM, "action": "save"}).status_code == 404
    )
    sharing = {"audience": "members", "byline": "anonymous"}
    assert client.post(f"/stories/{story_id}/sharing", data=sharing).status_code == 404
    assert client.post(f"/stories/{story_id}/withdraw", data={"confirm": "y"}).status_code == 404
    after = load_story(app, story_id)
    assert (after.title, after.audience, after.is_anonymous) == (
        before.title,
        before.audience,
        before.is_anonymous,
    )


def test_author_changes_audience_at_once(app, client, auth, member):
    story_id = make_story(app, member.id, audience="public")
    auth.login(member)
    response = client.post(
        f"/stories/{story_id}/sharing", data={"audience": "members", "byline": "anonymous"}
    )
    assert response.status_code == 303
    auth.logout()
    assert client.get(f"/stories/{story_id}").status_code == 404


def test_unpublish_date_takes_the_story_down(app, client, auth, clock, member):
    story_id = make_story(app, member.id, audience="public")
    auth.login(member)
    tomorrow = (clock() + timedelta(days=1)).date().isoformat()
    data = {"audience": "public", "byline": "pseudonym", "unpublish_on": tomorrow}
    assert client.post(f"/stories/{story_id}/sharing", data=data).status_code == 303
    auth.logout()
    assert client.get(f"/stories/{story_id}").status_code == 200
    clock.advance(days=1)
    assert client.get(f"/stories/{story_id}").status_code == 404


# Moderation


def decide(client, story_id, decision, note=""):
    return client.post(f"/moderation/stories/{story_id}", data={"decision": decision, "note": note})


def test_mentor_asks_for_changes_then_approves_an_edit(app, client, auth, member, mentor):
    story_id = make_story(app, member.id, state="pending")
    auth.login(mentor)
    assert decide(client, story_id, "changes").status_code == 400  # a note is needed
    assert decide(client, story_id, "changes", "Please leave out the town.").status_code == 303
    assert notices_of(app, member.id) == [("story_changes_requested", f"/stories/{story_id}/edit")]
    auth.logout()
    auth.login(member)
    page = client.get(f"/stories/{story_id}/edit").get_data(as_text=True)
    assert "Please leave out the town." in page
    data = {**FORM, "title": "Finding my voice", "action": "submit"}
    assert client.post(f"/stories/{story_id}/edit", data=data).status_code == 303
    auth.logout()
    auth.login(mentor)
    assert decide(client, story_id, "approve").status_code == 303
    story = load_story(app, story_id)
    assert story.status == "published"
    assert story.published_title == "Finding my voice"
    with app.app_context():
        actions = list(db.session.scalars(select(ModerationEntry.action)))
        assert actions == ["changes_requested", "approved"]


def test_edit_of_published_story_goes_back_to_review_while_old_version_stays(
    app, client, auth, member, other_member
):
    story_id = make_story(app, member.id, title="First version")
    auth.login(member)
    data = {**FORM, "title": "Second version", "action": "submit"}
    assert client.post(f"/stories/{story_id}/edit", data=data).status_code == 303
    assert load_story(app, story_id).status == "pending"
    auth.logout()
    auth.login(other_member)
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "First version" in page
    assert "Second version" not in page


def test_a_published_story_stopped_by_the_identity_check_stays_up_and_the_author_is_told(
    app, client, auth, member
):
    story_id = make_story(app, member.id, title="First version")
    auth.login(member)
    data = {**FORM, "body": "Call me on 555-123-4567.", "action": "submit"}
    page = client.post(f"/stories/{story_id}/edit", data=data).get_data(as_text=True)
    assert "looks like a phone number" in page
    assert (
        "Your changes are kept as a draft only you can see. The published version stays as "
        "it is for now." in page
    )
    assert "It goes to the mentors when you ask" not in page
    assert load_story(app, story_id).is_published


# Every moderation action on one's own story, as a kind: tests/stories/test_own_story.py.
def test_mentor_cannot_open_or_decide_own_story(app, client, auth, mentor):
    story_id = make_story(app, mentor.id, state="pending", body="My own canary words.")
    auth.login(mentor)
    response = client.get(f"/moderation/stories/{story_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "This is your own story" in page
    assert "Another mentor will read it and decide, so it doesn't open here." in page
    assert "canary" not in page
    assert 'name="decision"' not in page
    response = decide(client, story_id, "approve")
    assert response.status_code == 403
    assert load_story(app, story_id).status == "pending"
    assert count(app, ModerationEntry) == 0
    # The queue lists it, but not as a link to its review.
    queue = client.get("/moderation").get_data(as_text=True)
    assert "your own story: another mentor will review it" in queue
    assert f'href="/moderation/stories/{story_id}"' not in queue


def test_second_decision_is_told_it_was_already_decided(app, client, auth, member, mentor, admin):
    story_id = make_story(app, member.id, state="pending")
    second = app.test_client()
    auth.login(mentor)
    auth.login(admin, client=second)
    first_page = second.get(f"/moderation/stories/{story_id}").get_data(as_text=True)
    seen = first_page.split('name="seen" type="hidden" value="')[1].split('"')[0]
    assert decide(client, story_id, "approve").status_code == 303
    response = second.post(
        f"/moderation/stories/{story_id}",
        data={"decision": "decline", "note": "No.", "seen": seen},
    )
    assert response.status_code == 404  # no longer pending: nothing to review
    # The service itself, when the page was read before the first decision.
    decided_at = load_story(app, story_id).decided_at
    with app.test_request_context(), pytest.raises(moderation.AlreadyDecided):
        moderation.decide_story(
            db.session.get(Account, admin.id),
            story_id,
            "decline",
            note="No.",
            seen_updated_at=None,
            now=decided_at,
        )
    assert load_story(app, story_id).status == "published"
    assert count(app, ModerationEntry) == 1


def test_stale_decision_after_an_author_edit_is_refused(app, client, auth, member, mentor):
    story_id = make_story(app, member.id, state="pending")
    auth.login(mentor)
    page = client.get(f"/moderation/stories/{story_id}").get_data(as_text=True)
    seen = page.split('name="seen" type="hidden" value="')[1].split('"')[0]
    with app.app_context():
        story = db.session.get(Story, story_id)
        story.updated_at = story.updated_at.replace(year=2026, month=11, day=2)
        db.session.commit()
    response = client.post(
        f"/moderation/stories/{story_id}", data={"decision": "approve", "seen": seen}
    )
    assert response.status_code == 303
    assert "already decided" in client.get("/moderation").get_data(as_text=True)
    assert load_story(app, story_id).status == "pending"


def test_log_is_for_moderators_and_has_no_story_text(app, client, auth, member, mentor, admin):
    story_id = make_story(app, member.id, state="pending", body="A unique canary sentence.")
    auth.login(mentor)
    decide(client, story_id, "decline", "Not this time, thank you.")
    for reader in (mentor, admin):
        auth.logout()
        auth.login(reader)
        page = client.get("/moderation/log").get_data(as_text=True)
        assert "Not this time, thank you." in page
        assert "heron-mentor" in page
        assert "canary" not in page


# Reports


def report(client, story_id, category="harassment", note=""):
    return client.post(f"/stories/{story_id}/report", data={"category": category, "note": note})


def test_report_flow_hides_after_several_and_tells_reporters(app, client, auth, member, mentor):
    story_id = make_story(app, member.id, title="Reported words")
    readers = [make_account(app, f"reader-{n}") for n in range(3)]
    for reader in readers[:2]:
        auth.login(reader)
        assert report(client, story_id, note="private note from reader").status_code == 303
        assert report(client, story_id).status_code == 303  # again: counts once
        auth.logout()
    assert count(app, StoryReport) == 2
    assert load_story(app, story_id).hidden_at is None  # still up
    auth.login(readers[2])
    report(client, story_id, "private_details")
    auth.logout()
    assert load_story(app, story_id).hidden_at is not None
    assert client.get(f"/stories/{story_id}").status_code == 404
    auth.login(mentor)
    queue = client.get("/moderation").get_data(as_text=True)
    assert "Reported words" in queue
    assert "3 reports" in queue
    page = client.get(f"/moderation/reports/{story_id}").get_data(as_text=True)
    assert "private note from reader" in page
    assert not any(reader.pseudonym in page for reader in readers)
    response = client.post(f"/moderation/reports/{story_id}", data={"decision": "keep", "note": ""})
    assert response.status_code == 303
    assert load_story(app, story_id).hidden_at is None
    for reader in readers:
        assert notices_of(app, reader.id) == [("report_outcome_kept", f"/stories/{story_id}")]
    # Deciding again finds nothing open.
    again = client.post(f"/moderation/reports/{story_id}", data={"decision": "keep"})
    assert again.status_code == 404


def test_taking_a_reported_story_down_tells_author_and_reporter(
    app, client, auth, member, other_member, mentor
):
    story_id = make_story(app, member.id, reporters=(other_member.id,))
    auth.login(mentor)
    response = client.post(
        f"/moderation/reports/{story_id}", data={"decision": "remove", "note": "It names a town."}
    )
    assert response.status_code == 303
    story = load_story(app, story_id)
    assert (story.published_at, story.status) == (None, "declined")
    assert ("report_outcome_removed", None) in notices_of(app, other_member.id)
    assert ("story_taken_down", f"/stories/{story_id}/edit") in notices_of(app, member.id)
    assert ("story_declined", "/stories/mine") not in notices_of(app, member.id)


def test_author_cannot_report_own_story(app, client, auth, member):
    story_id = make_story(app, member.id)
    auth.login(member)
    assert report(client, story_id).status_code == 400
    assert count(app, StoryReport) == 0


# The list's queries do not grow with the page


def test_story_list_queries_do_not_grow(app, client, auth, member, mentor):
    def queries_for(total: int) -> int:
        with app.app_context():
            for story in db.session.scalars(select(Story)):
                db.session.delete(story)
            db.session.commit()
        for n in range(total):
            make_story(app, member.id, title=f"Story {n}", mentor_id=mentor.id)
        with app.app_context(), count_queries() as seen:
            response = client.get("/stories")
            assert response.status_code == 200
        return seen.count

    auth.login(member)
    assert queries_for(3) == queries_for(60)


def test_the_story_list_reads_no_story_text(app, client, auth, member, mentor):
    # Titles, bylines and warnings only: the text, its HTML and the working copy stay put.
    make_story(app, member.id, title="Walking out", body="One morning.", mentor_id=mentor.id)
    auth.login(member)
    with app.app_context(), count_queries() as seen:
        page = client.get("/stories").get_data(as_text=True)
    assert "Walking out" in page
    listing = [statement for statement in seen.statements if "FROM stories" in statement]
    assert len(listing) == 1
    for column in ("stories.body", "stories.published_body", "stories.published_html"):
        assert column not in listing[0], listing[0]
    assert "stories.published_title" in listing[0]


@pytest.mark.sqlite_only
def test_the_story_list_reads_a_range_of_its_index(app, client, auth, member, mentor):
    for n in range(30):
        make_story(app, member.id, title=f"Story {n}", mentor_id=mentor.id)
    auth.login(member)
    with app.app_context(), count_queries() as seen:
        client.get("/stories")
    (listing,) = [statement for statement in seen.statements if "FROM stories" in statement]
    with app.app_context():
        db.session.execute(text("ANALYZE"))
        rows = db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {listing}", (None,) * listing.count("?")
        )
        plan = "\n".join(str(row[-1]) for row in rows)
    # Newest first from the (published_at, id) index: a range, never every story read.
    assert "SEARCH stories USING INDEX ix_stories_published_at_id (published_at>?)" in plan, plan
    assert "SCAN stories" not in plan, plan


def test_list_pages_with_a_keyset_cursor(app, client, member, mentor):
    # Published at the same instant: newest first means the highest id first.
    for n in range(23):
        make_story(app, member.id, title=f"Story number {n:02d}", mentor_id=mentor.id)
    first = client.get("/stories").get_data(as_text=True)
    link = first.split('href="/stories?before=')[1].split('"')[0]
    second = client.get(f"/stories?before={link}".replace("&amp;", "&")).get_data(as_text=True)
    shown = [STORY_TITLE.findall(page) for page in (first, second)]
    assert shown == [
        [f"Story number {n:02d}" for n in range(22, 2, -1)],
        ["Story number 02", "Story number 01", "Story number 00"],
    ]


# Privacy


def test_export_holds_stories_drafts_reports_and_log(app, client, auth, member, other_member):
    make_story(app, member.id, state="draft", title="My draft")
    story_id = make_story(app, other_member.id, title="Their story")
    auth.login(member)
    report(client, story_id, note="my report note")
    response = client.post("/account/export", data={"password": member.password})
    data = json.loads(response.get_data(as_text=True))
    assert [s["title"] for s in data["stories"]["stories"]] == ["My draft"]
    assert data["stories"]["reports"][0]["note"] == "my report note"
    assert "moderation" in data


@pytest.mark.parametrize("choice", ["delete", "keep_anonymous"])
def test_account_deletion_deletes_or_anonymizes_published_stories(
    app, client, auth, member, other_member, choice
):
    published = make_story(app, member.id, title="Kept words", audience="public")
    make_story(app, member.id, state="draft", title="Draft words")
    auth.login(member)
    response = client.post(
        "/account/delete", data={"password": member.password, "published_stories": choice}
    )
    assert response.status_code == 303
    with app.app_context():
        rows = list(db.session.scalars(select(Story)))
        if choice == "delete":
            assert rows == []
        else:
            assert [(s.id, s.author_id, s.is_anonymous) for s in rows] == [(published, None, True)]
    page = client.get(f"/stories/{published}")
    if choice == "keep_anonymous":
        assert "Anonymous" in page.get_data(as_text=True)
        assert member.pseudonym not in page.get_data(as_text=True)
    else:
        assert page.status_code == 404


def test_account_deletion_refuses_an_unknown_choice(app, client, auth, member):
    make_story(app, member.id)
    auth.login(member)
    response = client.post(
        "/account/delete", data={"password": member.password, "published_stories": "publish"}
    )
    assert response.status_code == 200
    assert count(app, Story) == 1
