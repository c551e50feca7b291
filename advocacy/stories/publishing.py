"""The published version of a story: copying the approved working copy out, taking it
down, adding content warnings to it, and telling the author about a decision (called by
moderation)."""

from __future__ import annotations

from datetime import datetime

from advocacy.notices.services import forget_other_versions, notify
from advocacy.reports.counting import Measure, count
from advocacy.sanitize import SANITIZER_VERSION, render_markdown
from advocacy.stories.models import Story


def publish_working_copy(story: Story, *, now: datetime) -> None:
    """Copy the working copy to the published version (called by moderation on approval).
    Notices naming an earlier title go (it may be why the mentor asked for changes)."""
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
    forget_other_versions({story.id: story.title})


def unpublish(story: Story) -> None:
    """Take the published version down (the working copy stays with the author)."""
    story.published_at = None
    story.published_title = story.published_body = story.published_html = None
    story.html_version = None
    story.published_warnings = None
    story.published_warning_note = None
    story.hidden_at = None


def add_warnings(story: Story, keys: list[str]) -> None:
    """Add content warnings (WARNINGS keys, already checked) to the published version and
    the working copy, so an edit the author sends later keeps them. Not an edit by the
    author: updated_at stays, and a pending edit stays pending."""
    story.published_warnings = sorted(set(story.published_warnings or []) | set(keys))
    story.warnings = sorted(set(story.warnings or []) | set(keys))


# Where each notice to the author leads: the story, or its edit page when it is theirs to
# change; a declined story is found among "My stories".
AUTHOR_LINKS = {
    "story_approved": "/stories/{id}",
    "story_changes_requested": "/stories/{id}/edit",
    "story_declined": "/stories/mine",
    "story_warning_added": "/stories/{id}",
    "story_changes_after_report": "/stories/{id}/edit",
    "story_taken_down": "/stories/{id}/edit",
}


def notify_author(
    story: Story, kind: str, *, now: datetime, title: str | None = None, **params: object
) -> None:
    """Tell the author about a decision (no one to tell once the account is gone).

    The notice names the story by `title` (default: the working copy's title); `params`
    are the kind's other words (notices/story_notices.py)."""
    if story.author_id is None:
        return
    link = AUTHOR_LINKS[kind].format(id=story.id)
    notify(
        story.author_id,
        kind,
        now=now,
        link=link,
        story_id=story.id,
        title=title or story.title,
        **params,
    )
