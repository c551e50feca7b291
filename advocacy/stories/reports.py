"""Reports of published stories: one per member, counted once, hiding a story after several."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.stories import services
from advocacy.stories.models import ReportCategory, Story, StoryReport

REPORT_NOTE_MAX = 500
# This many members reporting a story hides it until a mentor decides.
HIDE_AFTER_REPORTS = 3
REPORT_CATEGORIES = {
    ReportCategory.IDENTIFIES: _l("It could identify someone"),
    ReportCategory.MISSING_WARNING: _l("It needs a content warning"),
    ReportCategory.HARMFUL: _l("It is hurtful or unsafe"),
    ReportCategory.NOT_TRUE: _l("It is not a true story"),
    ReportCategory.OTHER: _l("Something else"),
}


@dataclass(frozen=True)
class ReportResult:
    story: Story
    repeated: bool


def report(
    reporter: Account, story_id: int, *, category: str, note: str, now: datetime
) -> ReportResult:
    """Report a published story. A member's repeated reports of one story count once."""
    services.require_posting(reporter, now=now)
    story = services.readable_story(story_id, signed_in=True, now=now).story
    if story.author_id == reporter.id:
        raise services.NotAllowed(
            _l("This is your own story: you can edit or withdraw it instead.")
        )
    if category not in {c.value for c in ReportCategory}:
        raise services.StoryError(_l("Please choose what's wrong with the story."))
    note = note.strip()[:REPORT_NOTE_MAX]
    existing = db.session.scalar(
        select(StoryReport).where(
            StoryReport.story_id == story.id, StoryReport.reporter_id == reporter.id
        )
    )
    if existing is not None and existing.resolved_at is None:
        return ReportResult(story, repeated=True)
    if existing is not None:
        # Reported again after an earlier decision: it is open once more.
        existing.category, existing.note, existing.created_at = category, note, now
        existing.resolved_at = existing.outcome = None
        db.session.flush()
    else:
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
        except IntegrityError:
            # The same member's report arrived twice at once: it counts once.
            return ReportResult(story, repeated=True)
    if open_report_count(story.id) >= HIDE_AFTER_REPORTS:
        db.session.execute(
            update(Story)
            .where(Story.id == story.id, Story.hidden_at.is_(None))
            .values(hidden_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(story)
    return ReportResult(story, repeated=False)


def open_report_count(story_id: int) -> int:
    """Count the members with an open report of the story."""
    return db.session.scalar(
        select(func.count())
        .select_from(StoryReport)
        .where(StoryReport.story_id == story_id, StoryReport.resolved_at.is_(None))
    )
