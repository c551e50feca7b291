"""Reports in a trauma-informed voice, and what a mentor can do from them (issue 15, items 5
and 6), end to end through the pages: the reasons a member gives, adding a content warning,
asking the author for changes, taking a story down, and the notices each one leaves, read
on the notices page in the words a member sees.

The words are written out here from the issue's rule ("a take-down says so, with the
mentor's note"; a report outcome names the story by its title while it is published,
otherwise "a story you reported"), never read from the code under test.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from advocacy.extensions import db
from advocacy.moderation.models import ModerationEntry
from advocacy.stories.models import Story, StoryReport
from tests.stories.test_stories import count, notices_of
from tests.support.accounts import make_account
from tests.support.stories import load_story, make_story

NOTICE = re.compile(r'<p id="notice-\d+">([^<]*)</p>')


def texts(page: str) -> list[str]:
    """The notices a page shows, as the member reads them (newest first)."""
    return [html.unescape(text) for text in NOTICE.findall(page)]


def notices_read_by(client, auth, account) -> list[str]:
    auth.logout()
    auth.login(account)
    return texts(client.get("/notices").get_data(as_text=True))


def decide(client, story_id: int, **form):
    return client.post(f"/moderation/reports/{story_id}", data=form)


def outcomes(app, story_id: int) -> list[tuple[str | None, bool]]:
    with app.app_context():
        rows = db.session.scalars(select(StoryReport).where(StoryReport.story_id == story_id))
        return [(r.outcome, r.resolved_at is not None) for r in rows]


# The reasons a member can give


def test_the_report_form_offers_the_five_reasons_and_never_disbelief(app, client, auth, member):
    story_id = make_story(app, make_account(app, "ash-author").id, title="My year")
    auth.login(member)
    page = html.unescape(client.get(f"/stories/{story_id}/report").get_data(as_text=True))
    values = re.findall(r'name="category"[^>]*value="([^"]+)"', page)
    assert values == ["private_details", "missing_warning", "harassment", "spam", "other"]
    for label in (
        "It shares someone's private details",
        "It needs a content warning",
        "It is harassment or hate",
        "It is spam",
        "Something else (please say what in the note)",
    ):
        assert label in page
    assert "true story" not in page
    assert "What should a mentor look at?" in page


def test_something_else_needs_a_note_and_keeps_the_choice(app, client, auth, member):
    story_id = make_story(app, make_account(app, "ash-author").id)
    auth.login(member)
    response = client.post(f"/stories/{story_id}/report", data={"category": "other", "note": "   "})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Please say in a few words what a mentor should look at." in page
    assert re.search(r'<input checked[^>]*value="other"|value="other"[^>]*checked', page)
    assert count(app, StoryReport) == 0
    done = client.post(
        f"/stories/{story_id}/report", data={"category": "other", "note": "It sells something."}
    )
    assert done.status_code == 303
    assert count(app, StoryReport) == 1


@pytest.mark.parametrize("gone", ["not_true", "harmful", "identifies"])
def test_the_old_reasons_are_refused(app, client, auth, member, gone):
    story_id = make_story(app, make_account(app, "ash-author").id)
    auth.login(member)
    response = client.post(f"/stories/{story_id}/report", data={"category": gone, "note": "x"})
    assert response.status_code == 400
    assert count(app, StoryReport) == 0


# Adding a content warning from the reports


def test_a_mentor_adds_warnings_the_author_and_reporters_are_told_and_it_is_logged(
    app, client, auth, member, other_member, mentor
):
    story_id = make_story(
        app,
        member.id,
        title="The long road",
        warnings=["court_police"],
        reporters=(other_member.id,),
    )
    auth.login(mentor)
    page = html.unescape(client.get(f"/moderation/reports/{story_id}").get_data(as_text=True))
    assert "Add a content warning (it stays published)" in page
    assert other_member.pseudonym not in page
    response = decide(
        client,
        story_id,
        decision="warn",
        warnings=["violence", "family"],
        note="It describes a beating at home.",
    )
    assert response.status_code == 303
    story = load_story(app, story_id)
    assert story.published_warnings == ["court_police", "family", "violence"]
    assert story.warnings == ["court_police", "family", "violence"]
    assert (story.status, story.hidden_at) == ("published", None)
    assert outcomes(app, story_id) == [("warning_added", True)]
    # Readers now meet the warnings before the story.
    shown = html.unescape(client.get(f"/stories/{story_id}").get_data(as_text=True))
    assert "This story mentions: Court and police, Family, Violence." in shown
    # The log says what and why, for mentors, never who reported it.
    log = html.unescape(client.get("/moderation/log").get_data(as_text=True))
    assert "Content warning added after reports: Family, Violence" in log
    assert "It describes a beating at home." in log
    assert other_member.pseudonym not in log
    with app.app_context():
        entry = db.session.scalars(select(ModerationEntry)).all()[-1]
        assert (entry.action, entry.warnings) == ("report_warning_added", ["family", "violence"])

    assert notices_read_by(client, auth, member)[0] == (
        "A mentor added the content warnings “Family” and “Violence” to your story "
        "“The long road” after it was reported. It stays published, and readers see the "
        "warnings before the story. The mentor's note: It describes a beating at home."
    )
    assert ("story_warning_added", f"/stories/{story_id}") in notices_of(app, member.id)
    assert notices_read_by(client, auth, other_member) == [
        "Thank you for your report. A mentor reviewed “The long road” and added a content "
        "warning to it."
    ]
    assert notices_of(app, other_member.id) == [
        ("report_outcome_warning_added", f"/stories/{story_id}")
    ]


def test_one_warning_added_is_said_in_the_singular_and_a_hidden_story_comes_back(
    app, client, auth, member, mentor
):
    readers = [make_account(app, f"reader-{n}") for n in range(3)]
    story_id = make_story(
        app, member.id, title="Night shift", reporters=tuple(r.id for r in readers)
    )
    assert load_story(app, story_id).hidden_at is not None  # three reports hid it
    auth.login(mentor)
    response = decide(client, story_id, decision="warn", warnings=["self_harm"], note="Self-harm.")
    assert response.status_code == 303
    assert load_story(app, story_id).hidden_at is None
    assert notices_read_by(client, auth, member)[0] == (
        "A mentor added the content warning “Self-harm or suicide” to your story “Night shift” "
        "after it was reported. It stays published, and readers see the warning before the "
        "story. The mentor's note: Self-harm."
    )
    for reader in readers:
        assert notices_read_by(client, auth, reader) == [
            "Thank you for your report. A mentor reviewed “Night shift” and added a content "
            "warning to it."
        ]


@pytest.mark.parametrize(
    ("form", "said", "field"),
    [
        ({"note": "Needs one."}, "Please choose the content warnings to add.", "warnings"),
        (
            {"warnings": ["violence"], "note": "Needs one."},
            "The story already has the warnings you chose. Please choose another, or decide "
            "another way.",
            "warnings",
        ),
        (
            {"warnings": ["gore"], "note": "Needs one."},
            "Please choose content warnings from the list.",
            "warnings",
        ),
        (
            {"warnings": ["family"], "note": "  "},
            "Please write a short note to the author.",
            "note",
        ),
    ],
)
def test_a_warning_that_cannot_be_added_is_refused_calmly_keeping_the_rest(
    app, client, auth, member, other_member, mentor, form, said, field
):
    story_id = make_story(app, member.id, warnings=["violence"], reporters=(other_member.id,))
    auth.login(mentor)
    response = decide(client, story_id, decision="warn", **form)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert said in page
    assert re.search(rf'<p class="error" id="{field}-error">{re.escape(said)}', page)
    # What the mentor gave is still there.
    assert re.search(r'<input checked[^>]*value="warn"|value="warn"[^>]*checked', page)
    if form["note"].strip():
        assert form["note"] in page
    for key in form.get("warnings", []):
        if key != "gore":
            assert re.search(rf'<input checked[^>]*value="{key}"|value="{key}"[^>]*checked', page)
    # Nothing was written.
    assert load_story(app, story_id).published_warnings == ["violence"]
    assert outcomes(app, story_id) == [(None, False)]
    assert count(app, ModerationEntry) == 1  # the approval only
    assert notices_of(app, other_member.id) == []


def test_warnings_ticked_are_ignored_for_another_decision(
    app, client, auth, member, other_member, mentor
):
    story_id = make_story(app, member.id, reporters=(other_member.id,))
    auth.login(mentor)
    response = decide(client, story_id, decision="keep", warnings=["violence"], note="")
    assert response.status_code == 303
    assert load_story(app, story_id).published_warnings == []
    with app.app_context():
        assert db.session.scalars(select(ModerationEntry.warnings)).all()[-1] is None


# Asking the author for changes


def test_asking_for_changes_keeps_a_visible_story_up_until_the_edit_is_approved(
    app, client, auth, member, other_member, mentor
):
    story_id = make_story(app, member.id, title="Court day", reporters=(other_member.id,))
    auth.login(mentor)
    response = decide(
        client, story_id, decision="changes", note="Please leave out the judge's name."
    )
    assert response.status_code == 303
    story = load_story(app, story_id)
    assert (story.status, story.review_note) == (
        "changes_requested",
        "Please leave out the judge's name.",
    )
    assert story.published_title == "Court day"
    assert client.get(f"/stories/{story_id}").status_code == 200  # still up
    assert outcomes(app, story_id) == [("changes_requested", True)]
    with app.app_context():
        entry = db.session.scalars(select(ModerationEntry)).all()[-1]
        assert (entry.action, entry.note) == (
            "report_changes_requested",
            "Please leave out the judge's name.",
        )

    assert notices_read_by(client, auth, member)[0] == (
        "A mentor asked for changes to your story “Court day” after it was reported. It "
        "stays published as it is while you work on it; your changes go to a mentor before "
        "readers see them. The mentor's note: Please leave out the judge's name."
    )
    assert ("story_changes_after_report", f"/stories/{story_id}/edit") in notices_of(app, member.id)
    edit = html.unescape(client.get(f"/stories/{story_id}/edit").get_data(as_text=True))
    assert "Please leave out the judge's name." in edit
    assert "The published version stays up until a mentor reads your changes." in edit
    # The author's edit goes through review, as any edit of a published story.
    sent = client.post(
        f"/stories/{story_id}/edit",
        data={
            "title": "Court day",
            "body": "The judge was kind.",
            "audience": "public",
            "byline": "pseudonym",
            "action": "submit",
        },
    )
    assert sent.status_code == 303
    assert load_story(app, story_id).status == "pending"
    assert load_story(app, story_id).published_body == "I learned to *speak* again."

    assert notices_read_by(client, auth, other_member) == [
        "Thank you for your report. A mentor reviewed “Court day” and asked its author for changes."
    ]


def test_asking_for_changes_keeps_a_hidden_story_hidden_and_says_so(
    app, client, auth, member, mentor
):
    readers = [make_account(app, f"reader-{n}") for n in range(3)]
    story_id = make_story(
        app, member.id, title="Hidden words", reporters=tuple(r.id for r in readers)
    )
    auth.login(mentor)
    assert decide(client, story_id, decision="changes", note="Too much detail.").status_code == 303
    story = load_story(app, story_id)
    assert story.hidden_at is not None
    assert story.status == "changes_requested"
    assert client.get(f"/stories/{story_id}").status_code == 404
    assert notices_read_by(client, auth, member)[0] == (
        "A mentor asked for changes to your story “Hidden words” after it was reported. "
        "Readers can't see it for now: it comes back once a mentor approves your changes. "
        "The mentor's note: Too much detail."
    )
    edit = html.unescape(client.get(f"/stories/{story_id}/edit").get_data(as_text=True))
    assert "Readers can't see it for now, until a mentor has read it again." in edit
    assert "The published version stays up" not in edit
    # Reporters can't read it: it is "a story you reported", and the notice leads nowhere.
    for reader in readers:
        assert notices_read_by(client, auth, reader) == [
            "Thank you for your report. A mentor reviewed a story you reported and asked its "
            "author for changes."
        ]
        assert notices_of(app, reader.id) == [("report_outcome_changes_requested", None)]
        assert "Hidden words" not in str(notices_of(app, reader.id))


def test_asking_for_changes_needs_a_note(app, client, auth, member, other_member, mentor):
    story_id = make_story(app, member.id, reporters=(other_member.id,))
    auth.login(mentor)
    response = decide(client, story_id, decision="changes", note="")
    assert response.status_code == 400
    assert "Please write a short note to the author." in response.get_data(as_text=True)
    assert load_story(app, story_id).status == "published"
    assert outcomes(app, story_id) == [(None, False)]


# Taking down and keeping


def test_a_take_down_tells_the_author_so_with_the_note(
    app, client, auth, member, other_member, mentor
):
    story_id = make_story(app, member.id, title="Our street", reporters=(other_member.id,))
    auth.login(mentor)
    response = decide(client, story_id, decision="remove", note="It names your street.")
    assert response.status_code == 303
    said = notices_read_by(client, auth, member)
    assert said[0] == (
        "A mentor took your story “Our street” down after it was reported. You can change "
        "it and send it for review again; if it stays as it is, it will be deleted 30 days "
        "after this notice. The mentor's note: It names your street."
    )
    assert not any("was not published" in text for text in said)
    reporter = notices_read_by(client, auth, other_member)
    assert reporter == [
        "Thank you for your report. A mentor reviewed a story you reported and took it down."
    ]
    assert "Our street" not in str(notices_of(app, other_member.id))


@pytest.mark.parametrize("app_overrides", [{"RETENTION_DECLINED_STORY_DAYS": 1}])
def test_a_take_down_with_one_day_left_says_day(app, client, auth, member, other_member, mentor):
    story_id = make_story(app, member.id, title="Our street", reporters=(other_member.id,))
    auth.login(mentor)
    assert decide(client, story_id, decision="remove", note="Names.").status_code == 303
    assert notices_read_by(client, auth, member)[0] == (
        "A mentor took your story “Our street” down after it was reported. You can change "
        "it and send it for review again; if it stays as it is, it will be deleted 1 day "
        "after this notice. The mentor's note: Names."
    )


def test_keeping_it_names_the_story_for_the_reporter(
    app, client, auth, member, other_member, mentor
):
    story_id = make_story(app, member.id, title="Still here", reporters=(other_member.id,))
    auth.login(mentor)
    assert decide(client, story_id, decision="keep", note="").status_code == 303
    assert notices_read_by(client, auth, other_member) == [
        "Thank you for your report. A mentor reviewed “Still here” and kept it published."
    ]
    assert [kind for kind, _ in notices_of(app, member.id)] == ["story_approved"]  # nothing new


# A mentor's own story


@pytest.mark.parametrize("role", ["mentor", "admin"])
def test_a_moderator_never_opens_the_reports_or_review_of_their_own_story(
    app, client, auth, other_member, role
):
    author = make_account(app, f"own-{role}", role=role)
    reported_id = make_story(
        app, author.id, title="Mine, reported", body="Own canary.", reporters=(other_member.id,)
    )
    pending_id = make_story(app, author.id, state="pending", title="Mine, waiting")
    auth.login(author)
    for path in (f"/moderation/reports/{reported_id}", f"/moderation/stories/{pending_id}"):
        response = client.get(path)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 403
        assert "This is your own story" in page
        assert (
            "Another mentor will read it and decide, so it doesn't open here. You can see it, "
            "and change it, under “My stories”."
        ) in page
        assert "canary" not in page
        assert 'name="decision"' not in page
    for form in (
        {"decision": "keep", "note": ""},
        {"decision": "warn", "warnings": ["violence"], "note": "Mine."},
        {"decision": "changes", "note": "Mine."},
        {"decision": "remove", "note": "Mine."},
    ):
        assert decide(client, reported_id, **form).status_code == 403
    assert (
        client.post(
            f"/moderation/stories/{pending_id}", data={"decision": "approve", "note": ""}
        ).status_code
        == 403
    )
    assert outcomes(app, reported_id) == [(None, False)]
    assert load_story(app, reported_id).published_warnings == []
    assert load_story(app, pending_id).status == "pending"
    assert notices_of(app, other_member.id) == []
    queue = client.get("/moderation").get_data(as_text=True)
    assert f'href="/moderation/reports/{reported_id}"' not in queue
    assert "your own story: another mentor will decide" in queue


# The log, for every moderator


def test_the_log_shows_report_decisions_and_notes_never_the_reporter(
    app, client, auth, member, mentor, admin
):
    reporter = make_account(app, "quiet-reporter")
    story_id = make_story(
        app, member.id, reporters=(reporter.id,), mentor_id=admin.id, title="A story"
    )
    auth.login(mentor)
    assert decide(client, story_id, decision="changes", note="Softer, please.").status_code == 303
    page = html.unescape(client.get("/moderation/log").get_data(as_text=True))
    assert "Asked for changes after reports" in page
    assert "Softer, please." in page
    assert "heron-mentor" in page  # who decided, as before
    assert "quiet-reporter" not in page
    with app.app_context():
        assert db.session.get(Story, story_id) is not None


def test_changes_asked_long_after_the_last_edit_survive_the_night_s_purge(
    app, client, auth, member, mentor
):
    # The author last edited it 200 days before a mentor asks for changes: the author's
    # 180 days to edit (as for a draft) start at the request, not at that old edit.
    from advocacy.privacy import services as privacy
    from tests.support.accounts import Clock
    from tests.support.stories import WHEN

    readers = [make_account(app, f"reader-{n}") for n in range(3)]
    story_id = make_story(app, member.id, title="Old words", reporters=tuple(r.id for r in readers))
    asked = WHEN + timedelta(days=200)
    app.config["CLOCK"] = auth.clock = Clock(asked)
    auth.login(mentor)
    assert decide(client, story_id, decision="changes", note="Too much detail.").status_code == 303
    with app.app_context():
        privacy.purge(asked + timedelta(days=1))
        db.session.commit()
    story = load_story(app, story_id)
    assert story.status == "changes_requested"
    assert story.title == "Old words"


def test_a_moderator_s_log_leaves_out_the_decisions_on_their_own_stories(
    app, client, auth, member, mentor, admin
):
    # The mentor wrote "Mine"; an admin decided on it. The mentor's log shows the
    # decisions on other people's stories only; the admin's shows both.
    reporter = make_account(app, "quiet-reporter")
    mine = make_story(app, mentor.id, reporters=(reporter.id,), mentor_id=admin.id, title="Mine")
    theirs = make_story(app, member.id, reporters=(reporter.id,), mentor_id=admin.id)
    auth.login(admin)
    decide(client, mine, decision="changes", note="About the mentor's own story.")
    decide(client, theirs, decision="changes", note="About a member's story.")
    page = html.unescape(client.get("/moderation/log").get_data(as_text=True))
    assert "About the mentor's own story." in page
    auth.logout()
    auth.login(mentor)
    page = html.unescape(client.get("/moderation/log").get_data(as_text=True))
    assert "About a member's story." in page
    assert "About the mentor's own story." not in page
