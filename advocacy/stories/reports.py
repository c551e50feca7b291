"""Reports of published stories: one per member, counted once, hiding a story after several."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.reports.counting import Measure, count
from advocacy.stories import reading, services
from advocacy.stories.models import ReportCategory, StoryReport

REPORT_NOTE_MAX = 500
# This many members reporting a story hides it until a mentor decides.
HIDE_AFTER_REPORTS = 3
# What a member can say about a story. None of them questions whether a story is true:
# survivors are believed here, so disbelief is not a reason to report.
REPORT_CATEGORIES = {
    ReportCategory.PRIVATE_DETAILS: _l("It shares someone's private details"),
    ReportCategory.MISSING_WARNING: _l("It needs a content warning"),
    ReportCategory.HARASSMENT: _l("It is harassment or hate"),
    ReportCategory.SPAM: _l("It is spam"),
    ReportCategory.OTHER: _l("Something else (please say what in the note)"),
}


class ReportNoteNeeded(services.StoryError):
    """A report of "something else" with a blank note: a mentor could not tell what to
    look at."""

    message = _l("Please say in a few words what a mentor should look at.")


def report(reporter: Account, story_id: int, *, category: str, note: str, now: datetime) -> bool:
    """Report a published story; return True if the member's report of it was already open.

    StoryError when `category` is not one of REPORT_CATEGORIES; ReportNoteNeeded when it
    is "other" and the note is blank. A member's repeated reports of one story count once
    (one row per member and story, even when two arrive at once); reporting again after a
    mentor decided opens it anew.
    At HIDE_AFTER_REPORTS open reports the story is hidden until a mentor decides.
    """
    services.require_posting(reporter, now=now)
    story = reading.readable_story(story_id, signed_in=True, now=now).story
    if story.author_id == reporter.id:
        raise services.NotAllowed(
            _l("This is your own story: you can edit or withdraw it instead.")
        )
    if category not in {c.value for c in ReportCategory}:
        raise services.StoryError(_l("Please choose what a mentor should look at."))
    note = note.strip()[:REPORT_NOTE_MAX]
    if category == ReportCategory.OTHER and not note:
        raise ReportNoteNeeded()
    try:
        with db.session.begin_nested():
            db.session.add(
                StoryReport(
                    story_id=story.id,
                    reporter_id=reporter.id,
                    category=category,
                    note=note,
                    created_at=now,
                )
            )
    except IntegrityError as refused:
        existing = db.session.scalars(
            select(StoryReport).where(
                StoryReport.story_id == story.id, StoryReport.reporter_id == reporter.id
            )
        ).one_or_none()
        if existing is None:  # not a repeat: the story (or the account) went meanwhile
            raise services.StoryNotFound() from refused
        if existing.resolved_at is None:
            return True
        existing.category, existing.note, existing.created_at = category, note, now
        existing.resolved_at = existing.outcome = None
        db.session.flush()
    count(Measure.REPORT_FILED, program_id=None, now=now)
    if open_report_count(story.id) >= HIDE_AFTER_REPORTS:
        story.hidden_at = now
        db.session.flush()
    return False


def open_report_count(story_id: int) -> int:
    """Count the members with an open report of the story."""
    return db.session.scalar(
        select(func.count())
        .select_from(StoryReport)
        .where(StoryReport.story_id == story_id, StoryReport.resolved_at.is_(None))
    )
