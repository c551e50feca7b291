"""Moderation rules at the service level: the queues, decisions, the log and exports.

Rules (DESIGN §Stories and moderation): a mentor approves, asks for changes or declines a
pending story, and must give the author a reason for anything but approval; reports are
decided once for all reporters, each of whom hears the outcome; the queues put the
longest-waiting first (sent at the same instant: the story started first); the log and the
exports hold ids, actions and notes, never text, the exports oldest first, whatever order
the database keeps the rows in.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.moderation.models import ModerationEntry
from advocacy.privacy import registry
from advocacy.privacy import services as privacy
from advocacy.stories import services as stories
from advocacy.stories.models import Story, StoryReport
from tests.support.database import free_deleted_rows_space
from tests.support.event_rules import NOW, notices_of, person
from tests.support.stories import pending, published, report

pytestmark = pytest.mark.usefixtures("in_request")
MINUTE = timedelta(minutes=1)


def entries():
    return list(db.session.scalars(select(ModerationEntry).order_by(ModerationEntry.id)))


def open_reports(story):
    return db.session.scalars(select(StoryReport).where(StoryReport.story_id == story.id)).all()


# Choosing a decision and giving a reason


@pytest.mark.parametrize("decision", ["", "publish", "Approve", "keep", "remove"])
def test_a_story_decision_must_be_one_of_the_three(decision):
    story = pending(person("ash"))
    with pytest.raises(moderation.NoDecision) as refused:
        moderation.decide_story(
            person("mentor", "mentor"),
            story.id,
            decision,
            note="Why.",
            seen_updated_at=None,
            now=NOW,
        )
    assert str(refused.value.message) == "Please choose a decision."
    assert story.status == "pending"
    assert entries() == []


@pytest.mark.parametrize("decision", ["", "approve", "Keep", "decline"])
def test_a_report_decision_must_be_keep_or_remove(decision):
    mentor = person("mentor", "mentor")
    story = published(person("ash"), mentor)
    report(person("birch"), story, at=NOW)
    with pytest.raises(moderation.NoDecision):
        reported.decide_reports(person("m2", "mentor"), story.id, decision, note="N", now=NOW)
    assert [r.resolved_at for r in open_reports(story)] == [None]


@pytest.mark.parametrize("decision", ["changes", "decline"])
@pytest.mark.parametrize("note", ["", "   \n\t "])
def test_asking_for_changes_or_declining_needs_a_note(decision, note):
    story = pending(person("ash"))
    with pytest.raises(moderation.NoteNeeded) as refused:
        moderation.decide_story(
            person("mentor", "mentor"),
            story.id,
            decision,
            note=note,
            seen_updated_at=None,
            now=NOW,
        )
    assert str(refused.value.message) == "Please write a short note to the author."
    assert story.status == "pending"


def test_taking_a_story_down_needs_a_note_keeping_it_does_not():
    mentor = person("mentor", "mentor")
    story = published(person("ash"), mentor)
    report(person("birch"), story, at=NOW)
    with pytest.raises(moderation.NoteNeeded):
        reported.decide_reports(person("m2", "mentor"), story.id, "remove", note=" ", now=NOW)
    assert [r.resolved_at for r in open_reports(story)] == [None]
    reported.decide_reports(person("m3", "mentor"), story.id, "keep", note="", now=NOW)
    assert [r.outcome for r in open_reports(story)] == ["kept"]


def test_approval_needs_no_note_and_the_note_is_trimmed_to_1000_characters():
    mentor = person("mentor", "mentor")
    first, second = pending(person("ash")), pending(person("birch"), "Second")
    moderation.decide_story(mentor, first.id, "approve", note="", seen_updated_at=None, now=NOW)
    moderation.decide_story(
        mentor,
        second.id,
        "decline",
        note="  " + "n" * 1005 + "  ",
        seen_updated_at=None,
        now=NOW,
    )
    assert [e.note for e in entries()] == ["", "n" * 1000]
    assert second.review_note == "n" * 1000


# Deciding reports


def test_keeping_a_reported_story_resolves_only_its_open_reports_and_tells_each_reporter():
    mentor, decider = person("mentor", "mentor"), person("decider", "mentor")
    story, other = published(person("ash"), mentor), published(person("cedar"), mentor, "Other")
    birch, dune, elm = person("birch"), person("dune"), person("elm")
    report(birch, story, at=NOW)
    reported.decide_reports(decider, story.id, "keep", note="", now=NOW + MINUTE)
    report(dune, story, at=NOW + 2 * MINUTE)
    report(elm, other, at=NOW + 2 * MINUTE)
    later = NOW + 3 * MINUTE
    reported.decide_reports(decider, story.id, "keep", note="Fine as it is.", now=later)

    kept = {r.reporter_id: (r.resolved_at, r.outcome) for r in open_reports(story)}
    # The earlier decision stands for the earlier report: it is not resolved a second time.
    assert kept == {birch.id: (NOW + MINUTE, "kept"), dune.id: (later, "kept")}
    assert [(r.resolved_at, r.outcome) for r in open_reports(other)] == [(None, None)]
    assert [(n.kind, n.link, n.created_at) for n in notices_of(dune)] == [
        ("report_outcome_kept", f"/stories/{story.id}", later)
    ]
    assert notices_of(elm) == []
    assert len(notices_of(birch)) == 1  # told of the first decision only
    last = entries()[-1]
    assert (last.actor_id, last.story_id, last.action, last.note, last.created_at) == (
        decider.id,
        story.id,
        "report_kept",
        "Fine as it is.",
        later,
    )


def test_taking_a_story_down_declines_it_and_tells_the_author_and_reporters():
    mentor, decider = person("mentor", "mentor"), person("decider", "mentor")
    author, birch = person("ash"), person("birch")
    story = published(author, mentor)
    report(birch, story, at=NOW)
    later = NOW + MINUTE
    reported.decide_reports(decider, story.id, "remove", note="  It names a place. ", now=later)

    assert [(r.resolved_at, r.outcome) for r in open_reports(story)] == [(later, "removed")]
    assert (story.status, story.decided_at, story.review_note) == (
        "declined",
        later,
        "It names a place.",
    )
    assert story.published_at is None
    assert [(n.kind, n.link, n.created_at) for n in notices_of(birch)] == [
        ("report_outcome_removed", None, later)
    ]
    assert [(n.kind, n.link, n.created_at) for n in notices_of(author)][-1] == (
        "story_taken_down",
        f"/stories/{story.id}/edit",
        later,
    )
    last = entries()[-1]
    assert (last.story_id, last.action, last.note, last.created_at) == (
        story.id,
        "report_removed",
        "It names a place.",
        later,
    )


# The queues, longest-waiting first


def test_the_pending_queue_is_in_order_of_submission_not_of_creation():
    author = person("ash")
    later = pending(author, "Written first, sent last", at=NOW)
    earlier = pending(author, "Written second, sent first", at=NOW + MINUTE)
    stories.submit(
        author,
        stories.StoryInput(title=later.title, body=later.body),
        now=NOW + 2 * MINUTE,
        story=later,
    )
    published(person("birch"), person("mentor", "mentor"), "Already decided")
    assert moderation.pending_queue() == [earlier, later]


def test_stories_sent_at_the_same_instant_wait_in_the_order_they_were_started():
    author = person("ash")
    named = stories.StoryInput(title="Started first", body="Write to me@example.org")
    stopped = stories.submit(author, named, now=NOW)  # the identity check holds it back
    pending(author, "Started second", at=NOW)
    pending(author, "Started third", at=NOW)
    # The author confirms what the check found: PostgreSQL writes the first story's row
    # anew, after the third's, and reads it last unless the query orders the tie.
    stories.submit(author, named, now=NOW, story=stopped.story, confirmed=stopped.fingerprint)
    assert [story.title for story in moderation.pending_queue()] == [
        "Started first",
        "Started second",
        "Started third",
    ]


def test_the_reported_queue_counts_each_story_by_category_and_orders_by_first_report():
    mentor = person("mentor", "mentor")
    low_id, high_id = published(person("ash"), mentor, "A"), published(person("cedar"), mentor, "C")
    readers = [person(name) for name in ("r1", "r2", "r3", "r4")]
    # low_id's first report (in the category that sorts last) comes after high_id's.
    report(readers[0], low_id, "harassment", at=NOW + 3 * MINUTE)
    report(readers[1], low_id, "private_details", at=NOW + 2 * MINUTE)
    report(readers[2], low_id, "private_details", at=NOW + 4 * MINUTE)
    report(readers[3], high_id, "harassment", at=NOW + MINUTE)

    queue = reported.reported_queue()
    assert [(r.story, r.reports, r.categories, r.first_reported_at) for r in queue] == [
        (high_id, 1, {"harassment": 1}, NOW + MINUTE),
        (low_id, 3, {"harassment": 1, "private_details": 2}, NOW + 2 * MINUTE),
    ]
    assert reported.reported_story(low_id.id).reports == 3
    with pytest.raises(stories.StoryNotFound):
        reported.reported_story(published(person("dune"), mentor, "Unreported").id)


def test_a_story_s_open_report_notes_are_oldest_first_and_only_its_own():
    mentor = person("mentor", "mentor")
    story, other = published(person("ash"), mentor), published(person("cedar"), mentor, "O")
    report(person("r1"), story, at=NOW + 2 * MINUTE, note="second")
    report(person("r2"), story, at=NOW + MINUTE, note="first")
    report(person("r3"), other, at=NOW, note="other story")
    decided = person("r4")
    report(decided, story, at=NOW, note="decided")
    db.session.execute(
        StoryReport.__table__.update()
        .where(StoryReport.reporter_id == decided.id)
        .values(resolved_at=NOW, outcome="kept")
    )
    assert [r.note for r in reported.report_notes(story.id)] == ["first", "second"]


def test_moderators_see_pending_and_published_stories_with_their_author_never_drafts():
    author, mentor = person("ash"), person("mentor", "mentor")
    waiting, live = pending(author), published(author, mentor, "Live")
    draft = stories.save_draft(author, stories.StoryInput(title="Draft", body="Text."), now=NOW)
    assert moderation.authored_story(waiting.id) == (waiting, author)
    assert moderation.authored_story(live.id) == (live, author)
    for story_id in (draft.id, draft.id + 1000):
        with pytest.raises(stories.StoryNotFound):
            moderation.authored_story(story_id)


# The log and the exports


def test_the_log_shows_fifty_entries_a_page_newest_first_with_the_actor():
    mentor = person("mentor", "mentor")
    author = person("ash")
    for n in range(52):
        moderation.record(mentor, None, "approved", f"note {n}", now=NOW)
    first = moderation.log_page(None, viewer_id=0)
    assert len(first) == 51  # one more than a page, to tell there is a next page
    assert [(e.note, name) for e, name in first[:2]] == [
        ("note 51", "mentor"),
        ("note 50", "mentor"),
    ]
    rest = moderation.log_page(first[49][0].id, viewer_id=0)
    assert [e.note for e, _ in rest] == ["note 1", "note 0"]
    assert author.id not in {e.actor_id for e, _ in first}


def test_exports_give_story_id_action_note_and_time_never_text_or_the_decider():
    author, mentor = person("ash"), person("mentor", "mentor")
    story = pending(author)
    moderation.decide_story(
        mentor, story.id, "changes", note="Please blur the street.", seen_updated_at=None, now=NOW
    )
    expected = [
        {
            "story_id": story.id,
            "action": "changes_requested",
            "note": "Please blur the street.",
            "warnings_added": [],
            "created_at": "2026-11-27T12:00:00+00:00",
        }
    ]
    assert moderation.export_moderation(mentor) == {
        "decisions_you_made": expected,
        "decisions_on_your_stories": [],
    }
    assert moderation.export_moderation(author) == {
        "decisions_you_made": [],
        "decisions_on_your_stories": expected,
    }


def test_an_author_s_export_stays_oldest_first_after_a_deciding_mentor_leaves():
    author, leaving, staying = person("ash"), person("m1", "mentor"), person("m2", "mentor")
    story = pending(author, at=NOW)
    moderation.decide_story(
        leaving, story.id, "changes", note="Blur it.", seen_updated_at=None, now=NOW
    )
    resent = stories.StoryInput(title=story.title, body="I learned to speak.")
    stories.submit(author, resent, now=NOW + MINUTE, story=story)
    moderation.decide_story(
        staying, story.id, "approve", note="", seen_updated_at=None, now=NOW + 2 * MINUTE
    )
    # The first mentor's account is deleted: the log keeps the decision without their id,
    # and PostgreSQL writes that row anew, after the approval.
    registry.delete_account(leaving)
    exported = moderation.export_decisions_on_own_stories(author)
    assert [(e["action"], e["note"]) for e in exported] == [
        ("changes_requested", "Blur it."),
        ("approved", ""),
    ]


def test_a_mentor_s_export_stays_oldest_first_when_new_decisions_reuse_purged_space():
    mentor = person("mentor", "mentor")
    kept = timedelta(days=180)  # log entries are kept 180 days (DESIGN §4)
    moderation.record(mentor, None, "approved", "past keeping", now=NOW - kept - MINUTE)
    for n in (1, 2):
        moderation.record(mentor, None, "approved", f"decision {n}", now=NOW + n * MINUTE)
    privacy.purge(NOW + 3 * MINUTE)
    free_deleted_rows_space("moderation_entries")  # the next decision is written there
    moderation.record(mentor, None, "approved", "decision 3", now=NOW + 4 * MINUTE)
    exported = moderation.export_entries(mentor)
    assert [e["note"] for e in exported] == ["decision 1", "decision 2", "decision 3"]


# Two mentors, one story


def changed_meanwhile(story, **values):
    """Another mentor's decision or the author's edit, written past this session's copy."""
    db.session.execute(
        update(Story)
        .where(Story.id == story.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


@pytest.mark.parametrize(
    "meanwhile",
    [{"status": "published"}, {"updated_at": NOW + MINUTE}],
    ids=["decided by another mentor", "edited by the author"],
)
def test_a_decision_on_a_story_that_changed_meanwhile_is_refused(meanwhile):
    story = pending(person("ash"))
    changed_meanwhile(story, **meanwhile)
    with pytest.raises(moderation.AlreadyDecided):
        moderation.decide_story(
            person("mentor", "mentor"),
            story.id,
            "decline",
            note="No.",
            seen_updated_at=None,
            now=NOW + 2 * MINUTE,
        )
    assert story.status == meanwhile.get("status", "pending")  # read afresh
    assert story.review_note == ""
    assert entries() == []


def test_each_decision_is_logged_under_its_own_action():
    mentor = person("mentor", "mentor")
    author = person("ash")
    for decision, title in (("approve", "A"), ("changes", "B"), ("decline", "C")):
        story = pending(author, title)
        moderation.decide_story(mentor, story.id, decision, note="N", seen_updated_at=None, now=NOW)
    assert [e.action for e in entries()] == ["approved", "changes_requested", "declined"]


def test_deleting_a_mentor_keeps_their_decisions_without_them_and_others_untouched():
    first, second = person("mentor", "mentor"), person("mentor-2", "mentor")
    author = person("ash")
    for mentor, title in ((first, "A"), (second, "B")):
        story = pending(author, title)
        moderation.decide_story(mentor, story.id, "approve", note="", seen_updated_at=None, now=NOW)
    moderation.delete_moderation(first)
    db.session.expire_all()
    assert [(e.actor_id, e.action) for e in entries()] == [
        (None, "approved"),
        (second.id, "approved"),
    ]
