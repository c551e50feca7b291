"""Decisions on reports at the service level (issue 15, item 6): the four decisions, who may
take them, what each writes, and what each leaves alone.

Rules: a mentor keeps a reported story, adds content warnings from the authors' list to it,
asks its author for changes, or takes it down; every decision but keeping needs a note to
the author; nobody decides about their own story, reports included; a refused decision
writes nothing; reporters are told by the story's title only while they can read it; the
author is told of warnings added under the published title, the one readers reported, even
while a new version with another title waits. The log a moderator reads leaves out only
the entries about their own stories: an entry about no story is shown to them too.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.moderation.models import ModerationEntry
from advocacy.reports.models import MonthlyCount
from advocacy.stories import reports
from advocacy.stories import services as stories
from advocacy.stories.models import StoryReport
from tests.support.event_rules import NOW, notices_of, person
from tests.support.stories import published, report

pytestmark = pytest.mark.usefixtures("in_request")
MINUTE = timedelta(minutes=1)
FORMS = {
    "keep": {},
    "warn": {"warnings": ["violence"]},
    "changes": {},
    "remove": {},
}


def reports_of(story):
    return db.session.scalars(select(StoryReport).where(StoryReport.story_id == story.id)).all()


def entries():
    return list(db.session.scalars(select(ModerationEntry).order_by(ModerationEntry.id)))


def counted() -> dict[str, int]:
    return {row.measure: row.count for row in db.session.scalars(select(MonthlyCount))}


@pytest.mark.parametrize("decision", ["keep", "warn", "changes", "remove"])
@pytest.mark.parametrize("role", ["mentor", "admin"])
def test_nobody_decides_on_reports_of_their_own_story(decision, role):
    author = person("own", role)
    story = published(author, person("other", "mentor"))
    report(person("birch"), story, at=NOW)
    before = (len(entries()), story.status, list(story.published_warnings))
    with pytest.raises(moderation.OwnStory) as refused:
        reported.decide_reports(
            author, story.id, decision, note="Mine.", now=NOW + MINUTE, **FORMS[decision]
        )
    assert str(refused.value.message) == (
        "This is your own story, so another mentor will review it."
    )
    assert [(r.resolved_at, r.outcome) for r in reports_of(story)] == [(None, None)]
    assert (len(entries()), story.status, list(story.published_warnings)) == before


@pytest.mark.parametrize("decision", ["", "approve", "Keep", "decline", "warning", "add"])
def test_a_report_decision_is_one_of_the_four(decision):
    story = published(person("ash"), person("mentor", "mentor"))
    report(person("birch"), story, at=NOW)
    with pytest.raises(moderation.NoDecision):
        reported.decide_reports(person("m2", "mentor"), story.id, decision, note="N", now=NOW)
    assert [r.resolved_at for r in reports_of(story)] == [None]


@pytest.mark.parametrize("decision", ["warn", "changes", "remove"])
def test_every_decision_but_keeping_needs_a_note(decision):
    story = published(person("ash"), person("mentor", "mentor"))
    report(person("birch"), story, at=NOW)
    with pytest.raises(moderation.NoteNeeded):
        reported.decide_reports(
            person("m2", "mentor"), story.id, decision, note=" \n", now=NOW, **FORMS[decision]
        )
    assert [r.resolved_at for r in reports_of(story)] == [None]
    assert notices_of(person("nobody")) == []


def test_a_warning_goes_on_a_pending_edit_too_which_stays_pending_and_keeps_it():
    mentor = person("mentor", "mentor")
    author = person("ash")
    story = published(author, mentor)
    report(person("birch"), story, at=NOW)
    edit = stories.StoryInput(title="Finding my voice", body="Edited text.")
    stories.submit(author, edit, now=NOW + MINUTE, story=story)
    edited_at = story.updated_at
    reported.decide_reports(
        mentor, story.id, "warn", note="Violence.", now=NOW + 2 * MINUTE, warnings=["violence"]
    )
    assert (story.status, story.updated_at) == ("pending", edited_at)
    assert (story.warnings, story.published_warnings) == (["violence"], ["violence"])
    assert story.published_body == "I learned to speak again."
    moderation.decide_story(
        person("m2", "mentor"),
        story.id,
        "approve",
        note="",
        seen_updated_at=edited_at,
        now=NOW + 3 * MINUTE,
    )
    assert (story.published_body, story.published_warnings) == ("Edited text.", ["violence"])


def test_asking_for_changes_of_a_story_whose_author_left_is_refused():
    story = published(person("ash"), person("mentor", "mentor"))
    report(person("birch"), story, at=NOW)
    story.author_id = None
    db.session.flush()
    with pytest.raises(reported.NoAuthor) as refused:
        reported.decide_reports(
            person("m2", "mentor"), story.id, "changes", note="Shorter.", now=NOW
        )
    assert "author has left" in str(refused.value.message)
    assert [r.resolved_at for r in reports_of(story)] == [None]
    # A warning still can be added: nobody is told but the reporters.
    reported.decide_reports(
        person("m3", "mentor"), story.id, "warn", note="Family.", now=NOW, warnings=["family"]
    )
    assert story.published_warnings == ["family"]


def test_a_second_decision_on_the_same_reports_is_told_it_was_decided():
    story = published(person("ash"), person("mentor", "mentor"))
    report(person("birch"), story, at=NOW)
    reported.decide_reports(
        person("m1", "mentor"), story.id, "changes", note="Shorter.", now=NOW + MINUTE
    )
    with pytest.raises(moderation.AlreadyDecided):
        reported.decide_reports(
            person("m2", "mentor"),
            story.id,
            "warn",
            note="Family.",
            now=NOW + 2 * MINUTE,
            warnings=["family"],
        )
    assert story.published_warnings == []
    assert [e.action for e in entries()] == ["approved", "report_changes_requested"]


@pytest.mark.parametrize(
    ("decision", "outcome", "measure"),
    [
        ("keep", "kept", "report_kept"),
        ("warn", "warning_added", "report_kept"),
        ("changes", "changes_requested", "report_kept"),
        ("remove", "removed", "report_removed"),
    ],
)
def test_each_decision_resolves_every_open_report_and_is_counted_once_each(
    decision, outcome, measure
):
    story = published(person("ash"), person("mentor", "mentor"))
    for name in ("birch", "dune"):
        report(person(name), story, at=NOW)
    reported.decide_reports(
        person("m2", "mentor"), story.id, decision, note="Why.", now=NOW, **FORMS[decision]
    )
    assert [(r.outcome, r.resolved_at) for r in reports_of(story)] == [(outcome, NOW)] * 2
    assert counted() == {"story_submitted": 1, "story_published": 1, "report_filed": 2} | {
        measure: 2
    }


def test_a_story_past_its_unpublish_date_is_not_named_to_reporters():
    author, mentor = person("ash"), person("mentor", "mentor")
    story = published(author, mentor, "Ending soon")
    birch = person("birch")
    report(birch, story, at=NOW)
    story.unpublish_on = (NOW + timedelta(days=1)).date()
    db.session.flush()
    reported.decide_reports(mentor, story.id, "keep", note="", now=NOW + timedelta(days=2))
    (notice,) = notices_of(birch)
    assert (notice.kind, notice.link, notice.params) == ("report_outcome_kept", None, {})


def test_the_log_keeps_the_warnings_added_and_the_author_s_export_has_them():
    author, mentor = person("ash"), person("mentor", "mentor")
    story = published(author, mentor)
    report(person("birch"), story, at=NOW)
    reported.decide_reports(
        mentor,
        story.id,
        "warn",
        note="Two warnings.",
        now=NOW,
        warnings=["violence", "family", "violence"],
    )
    last = entries()[-1]
    assert (last.action, last.note, last.warnings) == (
        "report_warning_added",
        "Two warnings.",
        ["family", "violence"],
    )
    exported = moderation.export_moderation(author)["decisions_on_your_stories"][-1]
    assert exported == {
        "story_id": story.id,
        "action": "report_warning_added",
        "note": "Two warnings.",
        "warnings_added": ["family", "violence"],
        "created_at": "2026-11-27T12:00:00+00:00",
    }
    assert all(e.warnings is None for e in entries()[:-1])


def test_a_report_of_something_else_needs_a_note_and_others_do_not():
    story = published(person("ash"), person("mentor", "mentor"))
    reader = person("birch")
    with pytest.raises(reports.ReportNoteNeeded) as refused:
        reports.report(reader, story.id, category="other", note="  ", now=NOW)
    assert str(refused.value.message) == "Please say in a few words what a mentor should look at."
    assert reports_of(story) == []
    for category in ("private_details", "missing_warning", "harassment", "spam"):
        other = published(person(f"a-{category}"), person(f"m-{category}", "mentor"), category)
        assert reports.report(reader, other.id, category=category, note="", now=NOW) is False


def test_the_author_is_told_of_warnings_under_the_title_readers_reported():
    mentor, author = person("mentor", "mentor"), person("ash")
    story = published(author, mentor)  # "Finding my voice"
    report(person("birch"), story, at=NOW)
    edit = stories.StoryInput(title="Speaking again", body="Edited text.")
    stories.submit(author, edit, now=NOW + MINUTE, story=story)
    reported.decide_reports(
        mentor, story.id, "warn", note="Violence.", now=NOW + 2 * MINUTE, warnings=["violence"]
    )
    told = notices_of(author)[-1]
    assert (told.kind, told.params["title"]) == ("story_warning_added", "Finding my voice")
    assert told.params["title"] != "Speaking again"


def test_a_moderator_s_log_leaves_out_only_their_own_stories():
    mentor, other = person("mentor", "mentor"), person("m2", "mentor")
    theirs = published(mentor, other, "My own story")
    someone_elses = published(person("ash"), mentor, "Finding my voice")
    # The column allows an entry about no story; it is about none of the reader's.
    db.session.add(
        ModerationEntry(actor_id=other.id, story_id=None, action="story_approved", created_at=NOW)
    )
    db.session.flush()
    shown_to_mentor = [entry.story_id for entry, _ in moderation.log_page(None, mentor.id)]
    assert shown_to_mentor == [None, someone_elses.id]
    assert theirs.id not in shown_to_mentor
