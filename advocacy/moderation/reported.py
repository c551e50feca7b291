"""Stories with open reports: the queue's second half, what readers said (never who), and
a mentor's decision on all of a story's open reports at once.

Every reporter hears the outcome. A mentor never decides about their own story, and
two decisions on the same reports cannot both count: the first resolves them, the
second is told it was already decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation.services import AlreadyDecided, OwnStory, checked_note, record
from advocacy.notices.services import notify
from advocacy.reports import counting
from advocacy.reports.models import Measure
from advocacy.stories import publishing
from advocacy.stories import services as stories
from advocacy.stories.models import Status, Story, StoryReport

REPORT_DECISIONS = ("keep", "remove")


@dataclass(frozen=True)
class Reported:
    """A story with open reports: how many, of which kinds (never by whom)."""

    story: Story
    reports: int
    categories: dict[str, int]
    first_reported_at: datetime


def reported_queue() -> list[Reported]:
    """Return the stories with open reports, the longest-waiting first."""
    rows = db.session.execute(
        select(
            StoryReport.story_id,
            StoryReport.category,
            func.count(),
            func.min(StoryReport.created_at),
        )
        .where(StoryReport.resolved_at.is_(None))
        .group_by(StoryReport.story_id, StoryReport.category)
    ).all()
    if not rows:
        return []
    by_story: dict[int, dict] = {}
    for story_id, category, count, first in rows:
        entry = by_story.setdefault(story_id, {"categories": {}, "first": first})
        entry["categories"][category] = count
        entry["first"] = min(entry["first"], first)
    found = {
        story.id: story for story in db.session.scalars(select(Story).where(Story.id.in_(by_story)))
    }
    reported = [
        Reported(found[sid], sum(e["categories"].values()), e["categories"], e["first"])
        for sid, e in by_story.items()
        if sid in found
    ]
    return sorted(reported, key=lambda r: (r.first_reported_at, r.story.id))


def report_notes(story_id: int) -> list[StoryReport]:
    """Return the open reports of a story (the template shows category and note only)."""
    return list(
        db.session.scalars(
            select(StoryReport)
            .where(StoryReport.story_id == story_id, StoryReport.resolved_at.is_(None))
            .order_by(StoryReport.created_at)
        )
    )


def reported_story(story_id: int) -> Reported:
    """Return a story with open reports, or raise StoryNotFound."""
    for entry in reported_queue():
        if entry.story.id == story_id:
            return entry
    raise stories.StoryNotFound()


def decide_reports(
    actor: Account, story_id: int, decision: str, *, note: str, now: datetime
) -> Story:
    """Keep a reported story up, or take it down; every reporter hears the outcome."""
    note = checked_note(decision, REPORT_DECISIONS, note)
    story = db.session.get(Story, story_id)
    if story is None:
        raise stories.StoryNotFound()
    if story.author_id == actor.id:
        raise OwnStory()
    reporters = list(
        db.session.scalars(
            select(StoryReport.reporter_id).where(
                StoryReport.story_id == story.id, StoryReport.resolved_at.is_(None)
            )
        )
    )
    outcome = "kept" if decision == "keep" else "removed"
    resolved = db.session.execute(
        update(StoryReport)
        .where(StoryReport.story_id == story.id, StoryReport.resolved_at.is_(None))
        .values(resolved_at=now, outcome=outcome)
    )
    if resolved.rowcount == 0:
        raise AlreadyDecided()
    counting.count(Measure(f"report_{outcome}"), program_id=None, now=now, by=resolved.rowcount)
    if decision == "keep":
        story.hidden_at = None
        link = f"/stories/{story.id}"
    else:
        publishing.unpublish(story)
        story.status, story.decided_at, story.review_note = Status.DECLINED, now, note
        publishing.notify_author(story, "story_declined", now=now)
        link = None
    for reporter_id in reporters:
        notify(reporter_id, f"report_outcome_{outcome}", now=now, link=link, story_id=story.id)
    record(actor, story.id, f"report_{outcome}", note, now=now)
    db.session.flush()
    return story
