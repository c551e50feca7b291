"""Notices that name a story go with it (issue 15, item 4: "Withdrawing a story, deleting an
account with its stories, or the purge removes notices that name the story").

A notice about a story records which story (not only its words): every notice a story
decision sends (to its author, and the outcome to each reporter) is tied to the story, so
it goes when the story goes, whichever way: withdrawn, deleted with its author's account,
or purged. Tied by the story, not by matching its title: a notice naming an older title
of the story goes too, and one naming another story of the same title stays.

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.notices.models import Notice
from advocacy.notices.services import notify
from advocacy.privacy import registry
from advocacy.privacy.services import purge
from advocacy.stories import services as stories
from advocacy.stories.models import Story
from tests.support.event_rules import NOW, person
from tests.support.stories import pending, published, report

pytestmark = pytest.mark.usefixtures("in_request")
DAY = timedelta(days=1)


def all_notices() -> list[tuple[int, str, dict, int | None]]:
    """Every notice: (account, kind, params, story), oldest first."""
    return [
        (n.account_id, n.kind, dict(n.params), n.story_id)
        for n in db.session.scalars(select(Notice).order_by(Notice.id))
    ]


def about(story_id: int) -> list[Notice]:
    return list(db.session.scalars(select(Notice).where(Notice.story_id == story_id)))


def decide(mentor: Account, story: Story, decision: str, *, at=NOW) -> None:
    note = "" if decision == "approve" else "A note."
    moderation.decide_story(mentor, story.id, decision, note=note, seen_updated_at=None, now=at)


def edit(author: Account, story: Story, title: str, *, at=NOW) -> None:
    """The author sends a new version of the story for review."""
    data = stories.StoryInput(title=title, body="New words.")
    assert stories.submit(author, data, now=at, story=story).submitted


# Every notice a decision sends is about its story


@pytest.mark.parametrize("decision", ["approve", "changes", "decline"])
def test_each_decision_on_a_story_tells_its_author_in_a_notice_tied_to_the_story(decision):
    author, mentor = person("ash"), person("mentor", "mentor")
    story = pending(author, "Morning light")
    decide(mentor, story, decision)
    sent = all_notices()
    assert len(sent) == 1
    assert [(account, story_id) for account, _kind, _params, story_id in sent] == [
        (author.id, story.id)
    ]


@pytest.mark.parametrize("decision", ["keep", "remove"])
def test_each_report_outcome_and_the_author_s_notice_are_tied_to_the_story(decision):
    author, mentor = person("ash"), person("mentor", "mentor")
    story = published(author, mentor, "Morning light")
    first, second = person("birch"), person("cedar")
    report(first, story, at=NOW)
    report(second, story, at=NOW)
    before = len(all_notices())
    reported.decide_reports(
        person("m2", "mentor"), story.id, decision, note="A note.", now=NOW + DAY
    )
    sent = all_notices()[before:]
    # Both reporters hear the outcome (and the author, when it is taken down).
    told = {account for account, _kind, _params, _story in sent}
    assert {first.id, second.id} <= told
    assert (author.id in told) == (decision == "remove")
    assert {story_id for *_rest, story_id in sent} == {story.id}


def test_a_notice_about_nothing_in_particular_is_tied_to_no_story():
    member = person("ash")
    notify(member.id, "password_changed", now=NOW)
    notify(member.id, "enrollment_confirmed", now=NOW, link="/programs/1", title="Circle")
    assert [story_id for *_rest, story_id in all_notices()] == [None, None]


# Withdrawing


def test_withdrawing_a_story_removes_every_notice_about_it_and_no_other():
    author, mentor = person("ash"), person("mentor", "mentor")
    reporter, neighbour = person("birch"), person("cedar")
    story = pending(author, "Old title")
    decide(mentor, story, "changes")  # names "Old title", gone once the new one is approved
    edit(author, story, "Morning light")
    decide(mentor, story, "approve")  # names "Morning light"
    report(reporter, story, at=NOW)
    reported.decide_reports(mentor, story.id, "keep", note="", now=NOW + DAY)
    # Another member's story of the same title, and a notice of another kind that happens
    # to carry the same words: neither is about this story.
    theirs = published(neighbour, mentor, "Old title")
    notify(author.id, "enrollment_confirmed", now=NOW, link="/programs/1", title="Morning light")
    assert [n.kind for n in about(story.id)] == ["story_approved", "report_outcome_kept"]
    kept = [n for n in all_notices() if n[3] != story.id]

    stories.withdraw(author, story.id)
    db.session.commit()

    assert about(story.id) == []
    assert all_notices() == kept
    assert [n[1] for n in kept] == ["story_approved", "enrollment_confirmed"]
    assert [n[3] for n in kept] == [theirs.id, None]


# Deleting an account with its stories


@pytest.mark.parametrize(
    ("choice", "reporters_keep"), [("delete", False), ("keep_anonymous", True)]
)
def test_deleting_an_account_removes_the_notices_about_the_stories_that_go(choice, reporters_keep):
    author, mentor, reporter = person("ash"), person("mentor", "mentor"), person("birch")
    story = published(author, mentor, "Morning light")
    report(reporter, story, at=NOW)
    reported.decide_reports(mentor, story.id, "keep", note="", now=NOW + DAY)
    declined = pending(author, "Not this one")
    decide(mentor, declined, "decline")
    assert len(about(story.id)) == 2
    assert len(about(declined.id)) == 1

    story_id, declined_id = story.id, declined.id

    registry.delete_account(author, {"published_stories": choice})
    db.session.commit()

    # The declined story goes either way, and the author's own notices with the account.
    assert about(declined_id) == []
    left = [(n.account_id, n.kind) for n in about(story_id)]
    assert left == ([(reporter.id, "report_outcome_kept")] if reporters_keep else [])


# The purge


def test_the_purge_removes_the_notices_about_the_declined_stories_it_deletes():
    author, mentor, reporter = person("ash"), person("mentor", "mentor"), person("birch")
    declined = pending(author, "Not this one")
    decide(mentor, declined, "decline")
    taken_down = published(author, mentor, "Taken down")
    report(reporter, taken_down, at=NOW)
    reported.decide_reports(mentor, taken_down.id, "remove", note="A note.", now=NOW)
    db.session.commit()
    assert len(about(declined.id)) == 1
    # "Published", then "not published" to the author, and the reporter's outcome.
    assert len(about(taken_down.id)) == 3
    ids = (declined.id, taken_down.id)

    # 31 days after the decisions: past the 30 days of declined stories (a story taken
    # down after reports is one), well within the 90 days of notices.
    purge(NOW + 31 * DAY)

    for gone in ids:
        assert db.session.get(Story, gone) is None
        assert about(gone) == []


# Notices kept a year, so that only the story's purge can end them.
@pytest.mark.parametrize(
    "app_overrides", [{"RETENTION_NOTICE_DAYS": 365, "RETENTION_NOTICE_READ_DAYS": 365}]
)
def test_the_purge_removes_the_notices_about_the_drafts_it_deletes():
    author, mentor = person("ash"), person("mentor", "mentor")
    sent_back = pending(author, "Still writing")
    decide(mentor, sent_back, "changes")
    db.session.commit()
    assert len(about(sent_back.id)) == 1
    sent_back_id = sent_back.id

    # 181 days after the last edit: past the 180 days of drafts.
    purge(NOW + 181 * DAY)

    assert db.session.get(Story, sent_back_id) is None
    assert about(sent_back_id) == []


def test_the_purge_keeps_notices_about_stories_it_keeps():
    author, mentor = person("ash"), person("mentor", "mentor")
    declined = pending(author, "Not this one")
    decide(mentor, declined, "decline")
    staying = published(author, mentor, "Staying up")
    db.session.commit()
    declined_id, staying_id = declined.id, staying.id

    purge(NOW + 31 * DAY)

    assert about(declined_id) == []
    assert [(n.kind, n.params["title"]) for n in about(staying_id)] == [
        ("story_approved", "Staying up")
    ]


def test_an_approved_new_title_removes_the_notices_naming_the_old_one():
    # A mentor asked for changes because the title identified someone; once the new
    # title is published, no notice (the author's or a reporter's) keeps the old one.
    author, mentor = person("ash"), person("mentor", "mentor")
    story = published(author, mentor, "Maria from Elm Street")
    first, second = person("birch"), person("cedar")
    report(first, story, at=NOW)
    report(second, story, at=NOW)
    reported.decide_reports(mentor, story.id, "keep", note="A note.", now=NOW + DAY)
    assert "Maria from Elm Street" in str(all_notices())
    edit(author, story, "A street I knew", at=NOW + 2 * DAY)
    decide(mentor, story, "approve", at=NOW + 3 * DAY)
    kept = all_notices()
    assert "Maria from Elm Street" not in str(kept)
    assert (author.id, "story_approved", {"title": "A street I knew"}, story.id) in kept
