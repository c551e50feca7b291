"""The published version of a story: copying the approved working copy out, taking it
down, and telling the author about a decision (called by moderation)."""

from __future__ import annotations

from datetime import datetime

from advocacy.notices.services import notify
from advocacy.reports.counting import Measure, count
from advocacy.sanitize import SANITIZER_VERSION, render_markdown
from advocacy.stories.models import Story


def publish_working_copy(story: Story, *, now: datetime) -> None:
    """Copy the working copy to the published version (called by moderation on approval)."""
    if story.published_at is None:  # an approved edit of a published story: not again
        count(Measure.STORY_PUBLISHED, program_id=None, now=now)
    story.published_title = story.title
    story.published_body = story.body
    story.published_html = render_markdown(story.body)
    story.html_version = SANITIZER_VERSION
    story.published_warnings = list(story.warnings)
    story.published_warning_note = story.warning_note
    story.published_at = story.published_at or now
    story.hidden_at = None


def unpublish(story: Story) -> None:
    """Take the published version down (the working copy stays with the author)."""
    story.published_at = None
    story.published_title = story.published_body = story.published_html = None
    story.html_version = None
    story.published_warnings = None
    story.published_warning_note = None
    story.hidden_at = None


def notify_author(story: Story, kind: str, *, now: datetime) -> None:
    """Tell the author about a decision (no one to tell once the account is gone)."""
    if story.author_id is None:
        return
    links = {
        "story_approved": f"/stories/{story.id}",
        "story_changes_requested": f"/stories/{story.id}/edit",
        "story_declined": "/stories/mine",
    }
    notify(
        story.author_id,
        kind,
        now=now,
        link=links.get(kind),
        story_id=story.id,
        title=story.title,
    )
