"""Every version of a story has a retention (issue 15, item 4), not only the story.

An author who edits a published story writes a new version beside the published one. A
mentor may decline that version, or it may be left unsubmitted; until now it was kept
forever as the author's working copy. Now it goes as a declined story or a draft does
(DESIGN §4: declined, 30 days after the decision; drafts never submitted, 180 days after
the last edit), and the published version stays, as readers see it, and is again the
author's working copy. The notices naming the version that went go with it; those naming
the published version stay. A version waiting for review is never purged: it waits for a
mentor. The periods are written here as literals from DESIGN §4; the privacy page says so.

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.notices.models import Notice
from advocacy.privacy.services import purge
from advocacy.stories import reading
from advocacy.stories import services as stories
from advocacy.stories.models import Story
from tests.support.event_rules import NOW, person
from tests.support.stories import published, report

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)
PUBLISHED = {
    "title": "Morning light",
    "body": "I learned to speak again.",
    "warnings": [],
    "warning_note": "",
}
NEW_VERSION = {
    "title": "Evening rain",
    "body": "A new version, with more of me in it.",
    "warnings": ["violence"],
    "warning_note": "Hard to read",
}


def working_copy(story: Story) -> dict:
    return {key: getattr(story, key) for key in PUBLISHED}


def published_version(story: Story) -> dict:
    return {key: getattr(story, f"published_{key}") for key in PUBLISHED}


def titles_in_notices() -> set[str]:
    """Every title a notice names."""
    return {n.params["title"] for n in db.session.scalars(select(Notice)) if "title" in n.params}


def with_new_version(state: str, *, at=NOW) -> Story:
    """A published story (approved a day before `at`) whose author wrote a new version at
    `at`: declined by a mentor, sent back for changes, left as a draft, or waiting."""
    author, mentor = person("ash"), person("mentor", "mentor")
    story = published(author, mentor, PUBLISHED["title"], at=at - DAY)
    data = stories.StoryInput(
        title=NEW_VERSION["title"],
        body=NEW_VERSION["body"],
        warnings=NEW_VERSION["warnings"],
        warning_note=NEW_VERSION["warning_note"],
    )
    if state == "draft":
        stories.save_draft(author, data, now=at, story=story)
    else:
        assert stories.submit(author, data, now=at, story=story).submitted
    decision = {"declined": "decline", "changes_requested": "changes"}.get(state)
    if decision:
        moderation.decide_story(
            mentor, story.id, decision, note="Not this one.", seen_updated_at=None, now=at
        )
    db.session.commit()
    assert story.status == state
    assert working_copy(story) == NEW_VERSION
    return story


# (state of the new version, the purge's count for it, DESIGN §4's period)
RULES = {
    "declined: 30 days after the decision": ("declined", "declined story edits", 30 * DAY),
    "sent back for changes: 180 days after the last edit": (
        "changes_requested",
        "unsubmitted story edits",
        180 * DAY,
    ),
    "draft: 180 days after the last edit": ("draft", "unsubmitted story edits", 180 * DAY),
}
rules = pytest.mark.parametrize(("state", "name", "period"), RULES.values(), ids=RULES.keys())


@rules
@pytest.mark.usefixtures("in_request")
def test_a_new_version_is_kept_through_its_period_and_goes_the_second_after(state, name, period):
    story = with_new_version(state)

    counts = purge(NOW + period)
    db.session.expire_all()
    assert counts[name] == 0
    assert working_copy(story) == NEW_VERSION
    assert story.status == state

    counts = purge(NOW + period + SECOND)
    db.session.expire_all()
    assert counts[name] == 1
    # Only the new version went: the story is still up, as readers saw it, and is again
    # what the author edits.
    assert db.session.get(Story, story.id) is story
    assert working_copy(story) == PUBLISHED
    assert published_version(story) == PUBLISHED
    assert story.status == "published"
    assert story.review_note == ""
    assert story.published_at == NOW - DAY
    readable = reading.readable_story(story.id, signed_in=True, now=NOW + period + SECOND)
    assert readable.story.published_title == PUBLISHED["title"]

    assert purge(NOW + period + 2 * SECOND)[name] == 0


@rules
@pytest.mark.usefixtures("in_request")
def test_a_dry_run_counts_the_new_version_and_changes_nothing(state, name, period):
    story = with_new_version(state)
    counts = purge(NOW + period + SECOND, dry_run=True)
    db.session.expire_all()
    assert counts[name] == 1
    assert working_copy(story) == NEW_VERSION
    assert story.status == state


@pytest.mark.usefixtures("in_request")
def test_a_new_version_waiting_for_review_is_never_purged():
    story = with_new_version("pending")
    # 500 days on: long past every period of a story, before the author's account expires.
    counts = purge(NOW + 500 * DAY)
    db.session.expire_all()
    assert counts["declined story edits"] == counts["unsubmitted story edits"] == 0
    assert working_copy(story) == NEW_VERSION
    assert story.status == "pending"


@pytest.mark.usefixtures("in_request")
def test_a_story_never_published_is_still_deleted_whole_not_reverted():
    author, mentor = person("ash"), person("mentor", "mentor")
    data = stories.StoryInput(title="Never published", body="Words.")
    story = stories.submit(author, data, now=NOW).story
    moderation.decide_story(
        mentor, story.id, "decline", note="Not yet.", seen_updated_at=None, now=NOW
    )
    db.session.commit()
    story_id = story.id
    counts = purge(NOW + 30 * DAY + SECOND)
    assert (counts["declined stories"], counts["declined story edits"]) == (1, 0)
    assert db.session.get(Story, story_id) is None


# Notices go with the version they name


@pytest.mark.usefixtures("in_request")
def test_notices_naming_the_version_that_went_go_those_naming_the_published_one_stay():
    story = with_new_version("declined")
    reporter = person("birch")
    report(reporter, story, at=NOW)
    reported.decide_reports(person("m2", "mentor"), story.id, "keep", note="", now=NOW)
    db.session.commit()
    # "Published" (the published title), "not published" (the new version's title), and
    # the reporter's outcome.
    assert titles_in_notices() == {"Evening rain", "Morning light"}

    purge(NOW + 30 * DAY + SECOND)

    assert titles_in_notices() == {"Morning light"}
    kinds = sorted(n.kind for n in db.session.scalars(select(Notice)))
    assert kinds == ["report_outcome_kept", "story_approved"]


# What members read


def test_the_privacy_page_says_every_version_goes(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert (
        "Stories that were declined, and declined changes to a published story "
        "(the published version stays)"
    ) in page
    assert (
        "Story drafts you never submitted, and changes to a published story you never "
        "sent for review (the published version stays)"
    ) in page
