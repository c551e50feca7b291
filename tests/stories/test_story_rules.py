"""Story rules at the service level: refusals in the author's words, reading, reports.

Rules (DESIGN §Stories): readers see published stories newest first, twenty a page, with
the author's pseudonym unless the story is anonymous; an author sees their own stories most
recently edited first; at the same instant, in either list, the story started last comes
first, whatever order the database keeps the rows in; sharing can change without review,
but an unpublish date must be after today; a member's reports of one story count once,
and three members reporting hide it until a mentor decides.
"""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.stories import reading, reports
from advocacy.stories import services as stories
from advocacy.stories.models import Story, StoryReport
from tests.support.event_rules import NOW, notices_of, person
from tests.support.faults import Stopped, stop_at
from tests.support.stories import pending, published, report

pytestmark = pytest.mark.usefixtures("in_request")
TODAY = NOW.date()  # NOW is 12:00 UTC: the same day in the site's time zone
MINUTE = timedelta(minutes=1)


def refusal(action) -> str:
    with pytest.raises(stories.StoryError) as refused:
        action()
    return str(refused.value.message)


# Refusals say what to do


def test_sharing_refuses_an_unknown_audience_and_an_unpublish_date_not_after_today():
    author = person("ash")
    story = published(author, person("mentor", "mentor"))

    def share(audience="members", unpublish_on=None):
        return lambda: stories.change_sharing(
            author,
            story,
            audience=audience,
            is_anonymous=True,
            unpublish_on=unpublish_on,
            now=NOW,
        )

    assert refusal(share(audience="everyone")) == "Please choose who can read your story."
    for day in (TODAY, TODAY - timedelta(days=1)):
        assert refusal(share(unpublish_on=day)) == (
            "Please choose a date after today, or leave it empty."
        )
    assert (story.audience, story.is_anonymous, story.unpublish_on) == ("members", False, None)
    share(audience="public", unpublish_on=TODAY + timedelta(days=1))()
    assert (story.audience, story.is_anonymous) == ("public", True)
    assert story.unpublish_on == TODAY + timedelta(days=1)


def test_hidden_warnings_come_from_the_list_and_a_second_choice_replaces_the_first():
    member = person("ash")
    assert refusal(lambda: reading.set_hidden_warnings(member, ["gore"])) == (
        "Please choose content warnings from the list."
    )
    reading.set_hidden_warnings(member, ["violence", "family", "violence"])
    reading.set_hidden_warnings(member, ["self_harm"])
    assert reading.hidden_warnings(member) == {"self_harm"}
    assert reading.hidden_warnings(None) == set()


def test_reporting_refuses_one_s_own_story_and_an_unknown_category():
    author, reader = person("ash"), person("birch")
    story = published(author, person("mentor", "mentor"))
    assert refusal(lambda: report(author, story, at=NOW)) == (
        "This is your own story: you can edit or withdraw it instead."
    )
    assert refusal(lambda: report(reader, story, "boring", at=NOW)) == (
        "Please choose what a mentor should look at."
    )
    assert db.session.scalars(select(StoryReport)).all() == []


def test_a_posting_stop_refuses_reports_until_the_stop_ends():
    reader = person("birch")
    story = published(person("ash"), person("mentor", "mentor"))
    reader.posting_stopped_until = NOW + timedelta(days=2)
    with pytest.raises(stories.StoryError):
        report(reader, story, at=NOW)
    report(reader, story, at=NOW + timedelta(days=2, seconds=1))
    assert reports.open_report_count(story.id) == 1


# Reports


def test_a_member_s_reports_count_once_per_story_and_one_story_s_never_stop_another_s():
    mentor = person("mentor", "mentor")
    first, second = published(person("ash"), mentor), published(person("cedar"), mentor, "B")
    reader = person("birch")
    assert reports.report(reader, first.id, category="harassment", note="", now=NOW) is False
    assert reports.report(reader, first.id, category="other", note="Why", now=NOW) is True
    assert reports.report(reader, second.id, category="spam", note="", now=NOW) is False
    assert reports.report(reader, second.id, category="other", note="Why", now=NOW) is True
    assert (reports.open_report_count(first.id), reports.open_report_count(second.id)) == (1, 1)


def test_reporting_again_after_a_decision_opens_the_report_once_more():
    mentor = person("mentor", "mentor")
    story, reader = published(person("ash"), mentor), person("birch")
    report(reader, story, "harassment", at=NOW, note="first")
    reported.decide_reports(mentor, story.id, "keep", note="", now=NOW + MINUTE)
    later = NOW + 2 * MINUTE
    report(reader, story, "private_details", at=later, note="again")
    (again,) = db.session.scalars(select(StoryReport)).all()
    assert (again.category, again.note, again.created_at) == ("private_details", "again", later)
    assert (again.resolved_at, again.outcome) == (None, None)


def test_three_members_with_open_reports_hide_the_story_counting_only_its_own():
    mentor = person("mentor", "mentor")
    story, other = published(person("ash"), mentor), published(person("cedar"), mentor, "B")
    for name in ("r1", "r2", "r3"):
        report(person(name), other, at=NOW)
    decided = [person("d1"), person("d2")]
    for reader in decided:
        report(reader, story, at=NOW)
    reported.decide_reports(mentor, story.id, "keep", note="", now=NOW + MINUTE)
    report(person("r4"), story, at=NOW + 2 * MINUTE)
    report(person("r5"), story, at=NOW + 2 * MINUTE)
    assert story.hidden_at is None  # two open reports: the decided two no longer count
    report(person("r6"), story, at=NOW + 3 * MINUTE)
    assert story.hidden_at == NOW + 3 * MINUTE
    with pytest.raises(stories.StoryNotFound):  # hidden: no one can read or report it
        report(person("r7"), story, at=NOW + 4 * MINUTE)


# Reading


def test_the_reading_list_is_newest_first_twenty_a_page_with_bylines():
    mentor = person("mentor", "mentor")
    named, hidden = person("ash"), person("cedar")
    # Published in the opposite order to their ids; the last two at the same second.
    made = [published(named, mentor, f"Story {n}", at=NOW - n * MINUTE) for n in range(21)]
    anonymous = published(hidden, mentor, "Anonymous", at=NOW - 21 * MINUTE)
    anonymous.is_anonymous = True
    tied = [published(named, mentor, f"Tied {n}", at=NOW - 30 * MINUTE) for n in range(2)]

    first = reading.published_page(signed_in=True, now=NOW)
    assert len(first) == 21  # a page of twenty, and one more to tell there is a next page
    assert [listed.story.id for listed in first] == [story.id for story in made]
    assert {listed.byline for listed in first} == {"ash"}
    rest = reading.published_page(
        signed_in=True, now=NOW, before=(made[19].published_at, made[19].id)
    )
    assert [(listed.story.id, listed.byline) for listed in rest] == [
        (made[20].id, "ash"),
        (anonymous.id, None),
        (tied[1].id, "ash"),
        (tied[0].id, "ash"),
    ]
    last = reading.published_page(
        signed_in=True, now=NOW, before=(tied[1].published_at, tied[1].id)
    )
    assert [listed.story.id for listed in last] == [tied[0].id]
    # What the page is given of an anonymous story never names its author, nor who it is:
    # a template that printed every field would still not unmask them.
    [row] = [listed.story for listed in rest if listed.story.id == anonymous.id]
    assert "cedar" not in [str(value) for value in row]
    assert not {"pseudonym", "author_id", "author"} & set(row._fields)


def test_stories_published_at_the_same_instant_list_the_newest_story_first():
    author, mentor = person("ash"), person("mentor", "mentor")
    first, second, third = (pending(author, title) for title in ("First", "Second", "Third"))
    # Approved in the same second, not in the order written: PostgreSQL writes each row
    # anew, so neither the stored order (first, third, second) nor its reverse is the rule's.
    for story in (first, third, second):
        moderation.decide_story(mentor, story.id, "approve", note="", seen_updated_at=None, now=NOW)
    listed = reading.published_page(signed_in=True, now=NOW)
    assert [item.story.published_title for item in listed] == ["Third", "Second", "First"]


def test_the_author_s_own_list_is_most_recently_edited_first():
    author = person("ash")
    older, newer, tied_low, tied_high = (
        pending(author, title, at=at)
        for title, at in (
            ("Older", NOW - MINUTE),
            ("Newer", NOW),
            ("T1", NOW - 2 * MINUTE),
            ("T2", NOW - 2 * MINUTE),
        )
    )
    stories.save_draft(
        author,
        stories.StoryInput(title="Older, edited", body="Text."),
        now=NOW + MINUTE,
        story=older,
    )
    pending(person("birch"), "Someone else's")
    assert stories.my_stories(author) == [older, newer, tied_high, tied_low]


def test_stories_edited_at_the_same_instant_list_the_newest_story_first():
    author = person("ash")
    first, second, third = (
        stories.save_draft(author, written(title=title), now=NOW - MINUTE)
        for title in ("First", "Second", "Third")
    )
    # Edited in the same second, not in the order written: PostgreSQL writes each row anew,
    # so neither the stored order (first, third, second) nor its reverse is the rule's.
    for story in (first, third, second):
        stories.save_draft(author, written(title=f"{story.title}, edited"), now=NOW, story=story)
    assert [story.title for story in stories.my_stories(author)] == [
        "Third, edited",
        "Second, edited",
        "First, edited",
    ]


def test_stored_html_is_shown_unless_missing_or_made_by_another_sanitizer():
    story = published(person("ash"), person("mentor", "mentor"))
    story.published_html = "<p>stored</p>"
    assert reading.published_html(story) == "<p>stored</p>"
    story.html_version = 0
    assert reading.published_html(story) == "<p>I learned to speak again.</p>\n"
    story.html_version, story.published_html = 2, None
    assert reading.published_html(story) == "<p>I learned to speak again.</p>\n"
    # Version 1 was made while a worker's threads shared one cleaner: it may hold another
    # story's text, so it is never shown; the story's own words are rendered again.
    story.html_version, story.published_html = 1, "<p>Someone else's story.</p>"
    assert reading.published_html(story) == "<p>I learned to speak again.</p>\n"
    story.published_body = None
    assert reading.published_html(story) == ""


def test_taking_a_story_down_empties_its_published_version():
    mentor = person("mentor", "mentor")
    story = published(person("ash"), mentor)
    report(person("birch"), story, at=NOW)
    reported.decide_reports(mentor, story.id, "remove", note="Names a place.", now=NOW)
    db.session.expire(story)  # read back what was written
    assert (
        story.published_at,
        story.published_title,
        story.published_body,
        story.published_html,
        story.html_version,
        story.published_warnings,
        story.published_warning_note,
        story.hidden_at,
    ) == (None,) * 8
    assert story.title == "Finding my voice"  # the author keeps the working copy


# What the author writes


def written(**changes) -> stories.StoryInput:
    fields = {"title": "A title", "body": "Some text."} | changes
    return stories.StoryInput(**fields)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (written(title="  "), "Please give your story a title and some text."),
        (written(body="\n\n"), "Please give your story a title and some text."),
        (written(title="t" * 121), "Your story is longer than we can keep. Please shorten it."),
        (written(body="b" * 20_001), "Your story is longer than we can keep. Please shorten it."),
        (written(warnings=["violence", "gore"]), "Please choose content warnings from the list."),
        (written(audience="friends"), "Please choose who can read your story."),
        (written(unpublish_on=TODAY), "Please choose a date after today, or leave it empty."),
    ],
)
def test_what_the_form_cannot_refuse_alone_is_refused_in_the_author_s_words(data, message):
    author = person("ash")
    assert refusal(lambda: stories.check_input(data, today=TODAY)) == message
    assert refusal(lambda: stories.save_draft(author, data, now=NOW)) == message
    assert stories.my_stories(author) == []


def test_input_at_the_limits_is_kept_cleaned():
    data = written(
        title=" " + "t" * 120 + " ",
        body="b" * 20_000,
        warnings=["violence", "family", "violence"],
        warning_note="  " + "w" * 125,
        audience="public",
        is_anonymous=True,
        unpublish_on=TODAY + timedelta(days=1),
    )
    assert stories.check_input(data, today=TODAY) == stories.StoryInput(
        title="t" * 120,
        body="b" * 20_000,
        warnings=["family", "violence"],
        warning_note="w" * 120,
        audience="public",
        is_anonymous=True,
        unpublish_on=TODAY + timedelta(days=1),
    )
    story = stories.save_draft(person("ash"), data, now=NOW)
    assert (story.title, story.warnings, story.unpublish_on, story.updated_at) == (
        "t" * 120,
        ["family", "violence"],
        TODAY + timedelta(days=1),
        NOW,
    )


def test_a_posting_stop_refuses_review_with_its_end_date_but_drafts_are_kept():
    author = person("ash")
    author.posting_stopped_until = NOW + timedelta(days=2)
    refused = refusal(lambda: stories.submit(author, written(), now=NOW))
    assert "until 29 November 2026" in refused
    assert stories.save_draft(author, written(), now=NOW).status == "draft"
    assert stories.submit(author, written(), now=NOW + timedelta(days=3)).submitted is True


def test_the_identity_check_reads_title_warning_note_and_text_and_knows_the_pseudonym():
    author = person("ash-tree")
    data = written(title="Title", warning_note="Note", body="Write to me@example.org, ash-tree")
    result = stories.submit(author, data, now=NOW)
    # One text: title, blank line, warning note, blank line, body (offsets count from 0).
    assert [(f.kind, f.start, f.end, f.text) for f in result.findings] == [
        ("email", 22, 36, "me@example.org"),
        ("pseudonym", 38, 46, "ash-tree"),
    ]
    assert (result.submitted, result.story.status) == (False, "draft")


def test_sending_again_after_changes_clears_the_old_note_and_keeps_when_it_was_made():
    author, mentor = person("ash"), person("mentor", "mentor")
    story = pending(author, at=NOW - MINUTE)
    moderation.decide_story(
        mentor, story.id, "changes", note="Blur the street.", seen_updated_at=None, now=NOW
    )
    stories.submit(author, written(), now=NOW + MINUTE, story=story)
    assert (story.status, story.review_note, story.submitted_at) == ("pending", "", NOW + MINUTE)
    assert (story.created_at, story.updated_at) == (NOW - MINUTE, NOW + MINUTE)


def test_the_author_hears_each_decision_with_the_title_and_a_link_to_act_on():
    author, mentor = person("ash"), person("mentor", "mentor")
    kept, changed, declined = (pending(author, title) for title in ("One", "Two", "Three"))
    for story, decision in ((kept, "approve"), (changed, "changes"), (declined, "decline")):
        moderation.decide_story(mentor, story.id, decision, note="N", seen_updated_at=None, now=NOW)
    assert [(n.kind, n.params, n.link) for n in notices_of(author)] == [
        ("story_approved", {"title": "One"}, f"/stories/{kept.id}"),
        ("story_changes_requested", {"title": "Two"}, f"/stories/{changed.id}/edit"),
        ("story_declined", {"title": "Three"}, "/stories/mine"),
    ]
    assert kept.published_html == "<p>I learned to speak again.</p>\n"


def test_a_story_page_shows_the_byline_unless_anonymous_and_members_only_to_members():
    mentor = person("mentor", "mentor")
    named, hidden = published(person("ash"), mentor, "Named"), published(person("b"), mentor)
    hidden.is_anonymous = True
    assert reading.readable_story(named.id, signed_in=True, now=NOW).byline == "ash"
    assert reading.readable_story(hidden.id, signed_in=True, now=NOW).byline is None
    with pytest.raises(stories.StoryNotFound):  # members only, the default audience
        reading.readable_story(named.id, signed_in=False, now=NOW)


def test_a_story_withdrawn_while_being_reported_is_simply_not_found(monkeypatch):
    story = published(person("ash"), person("mentor", "mentor"))
    read = reading.readable_story

    def read_then_withdrawn(*args, **kwargs):
        listed = read(*args, **kwargs)
        db.session.execute(delete(Story).where(Story.id == story.id))
        return listed

    monkeypatch.setattr(reports.reading, "readable_story", read_then_withdrawn)
    with pytest.raises(stories.StoryNotFound):
        report(person("birch"), story, at=NOW)
    assert db.session.scalars(select(StoryReport)).all() == []


def test_a_confirmed_submission_still_carries_what_the_check_found():
    author = person("ash")
    data = written(body="Write to me@example.org")
    first = stories.submit(author, data, now=NOW)
    again = stories.submit(author, data, now=NOW, story=first.story, confirmed=first.fingerprint)
    assert again.submitted is True
    assert [(f.kind, f.text) for f in again.findings] == [("email", "me@example.org")]


def test_the_story_fault_point_is_after_the_story_is_sent_for_review(monkeypatch):
    # The worker-kill test arms "story.written" by name and relies on this moment
    # (advocacy/faults.py): the story written and waiting for review, not yet committed.
    author = person("ash")
    stop_at(monkeypatch, "story.committed")
    pending(author, "Another point: not stopped")
    stop_at(monkeypatch, "story.written")
    data = stories.StoryInput(title="Stopped here", body="I learned to speak again.")
    with pytest.raises(Stopped) as stopped:
        stories.submit(author, data, now=NOW)
    assert str(stopped.value) == "story.written"
    stopped_story = db.session.scalar(select(Story).where(Story.title == "Stopped here"))
    assert (stopped_story.status, stopped_story.submitted_at) == ("pending", NOW)
