"""The words of the notices about decisions on reported stories (issue 15, item 5), from
the params stored: a report outcome names the story by its title while it is published,
otherwise "a story you reported"; the author's notices carry the mentor's note, in the
sentence itself so the data export has it too. Notices stored before these words (no
title) still read well."""

from __future__ import annotations

import pytest

from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.notices.services import export_notices, message_for, notify
from tests.support.event_rules import NOW, person

pytestmark = pytest.mark.usefixtures("in_request")


def said(kind: str, **params) -> str:
    return message_for(Notice(kind=kind, params=params))


@pytest.mark.parametrize(
    ("kind", "titled", "untitled"),
    [
        (
            "report_outcome_kept",
            "Thank you for your report. A mentor reviewed “Rain” and kept it published.",
            "Thank you for your report. A mentor reviewed a story you reported and kept it "
            "published.",
        ),
        (
            "report_outcome_warning_added",
            "Thank you for your report. A mentor reviewed “Rain” and added a content warning "
            "to it.",
            "Thank you for your report. A mentor reviewed a story you reported and added a "
            "content warning to it.",
        ),
        (
            "report_outcome_changes_requested",
            "Thank you for your report. A mentor reviewed “Rain” and asked its author for changes.",
            "Thank you for your report. A mentor reviewed a story you reported and asked its "
            "author for changes.",
        ),
        (
            "report_outcome_removed",
            "Thank you for your report. A mentor reviewed “Rain” and took it down.",
            "Thank you for your report. A mentor reviewed a story you reported and took it down.",
        ),
    ],
)
def test_a_report_outcome_names_the_story_only_when_it_has_a_title(kind, titled, untitled):
    assert said(kind, title="Rain") == titled
    assert said(kind) == untitled  # also every notice stored before titles were kept
    assert said(kind, title="") == untitled


def test_a_warning_unknown_to_the_list_is_said_as_stored_and_three_are_listed():
    assert said(
        "story_warning_added",
        title="Rain",
        mentor_note="",
        warnings=["violence", "family", "gone_from_the_list"],
    ) == (
        "A mentor added the content warnings “Violence”, “Family”, and “gone_from_the_list” "
        "to your story “Rain” after it was reported. It stays published, and readers see the "
        "warnings before the story."
    )


def test_the_author_s_notice_is_exported_with_the_mentor_s_note():
    author = person("ash")
    notify(
        author.id,
        "story_taken_down",
        now=NOW,
        link="/stories/1/edit",
        title="Rain",
        mentor_note="It names a shelter.",
        num=30,
    )
    db.session.flush()
    (exported,) = export_notices(author)
    assert exported["message"] == (
        "A mentor took your story “Rain” down after it was reported. You can change it and "
        "send it for review again; if it stays as it is, it will be deleted 30 days after "
        "this notice. The mentor's note: It names a shelter."
    )


def test_an_author_s_notice_never_says_not_published_after_a_take_down():
    text = said("story_taken_down", title="Rain", mentor_note="Why.", num=2)
    assert "was not published" not in text
    assert "2 days" in text
