"""Stories with open reports: the queue's second half, what readers said (never who), and
a mentor's decision on all of a story's open reports at once.

Every reporter hears the outcome. A mentor never decides about their own story, and
two decisions on the same reports cannot both count: the first resolves them, the
second is told it was already decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation.services import AlreadyDecided, checked_note, decidable, record
from advocacy.notices.services import notify
from advocacy.privacy.rules import rule_for
from advocacy.reports import counting
from advocacy.reports.models import Measure
from advocacy.stories import publishing, reading
from advocacy.stories import services as stories
from advocacy.stories.models import Status, Story, StoryReport

REPORT_DECISIONS = ("keep", "warn", "changes", "remove")
# What each decision does to the reports (StoryReport.outcome).
OUTCOMES = {
    "keep": "kept",
    "warn": "warning_added",
    "changes": "changes_requested",
    "remove": "removed",
}


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


class WarningRefused(stories.StoryError):
    """The warnings chosen for a "warn" decision can't be added (the form shows it by the
    warnings)."""

    message = _l("Please choose content warnings from the list.")


class WarningsNeeded(WarningRefused):
    message = _l("Please choose the content warnings to add.")


class AlreadyWarned(WarningRefused):
    message = _l(
        "The story already has the warnings you chose. Please choose another, or decide "
        "another way."
    )


class NoAuthor(stories.StoryError):
    message = _l(
        "This story's author has left, so nobody can change it. Please keep it, add a "
        "warning or take it down."
    )


def warnings_to_add(story: Story, decision: str, warnings: Iterable[str]) -> list[str]:
    """Return the warnings a "warn" decision adds (sorted, without those the published
    version has already); [] for any other decision, whatever was ticked.

    WarningRefused for a key not in WARNINGS, WarningsNeeded when none is chosen,
    AlreadyWarned when every one chosen is there already."""
    if decision != "warn":
        return []
    chosen = sorted(set(warnings))
    try:
        stories.check_warnings(chosen)
    except stories.StoryError as unknown:
        raise WarningRefused() from unknown
    if not chosen:
        raise WarningsNeeded()
    added = [key for key in chosen if key not in (story.published_warnings or [])]
    if not added:
        raise AlreadyWarned()
    return added


def still_readable(story: Story, *, now: datetime) -> bool:
    """Whether members can read the story now (reading.readable), as the reporters would."""
    db.session.flush()
    try:
        reading.readable_story(story.id, signed_in=True, now=now)
    except stories.StoryNotFound:
        return False
    return True


def decide_reports(
    actor: Account,
    story_id: int,
    decision: str,
    *,
    note: str,
    now: datetime,
    warnings: Iterable[str] = (),
) -> Story:
    """Decide on all of a story's open reports at once; return the story.

    `decision` (REPORT_DECISIONS): "keep" it published as it is; "warn": add `warnings`
    (WARNINGS keys) to it, which keeps it published; "changes": ask the author for
    changes (the story stays as it is: published, or hidden while several reports hid
    it; the author's edit goes through review as any edit of a published story);
    "remove": take it down (it goes back to the author as declined). Every decision but
    "keep" needs a note to the author. The author is told (not on "keep"), each reporter
    is told the outcome, naming the story while they can still read it, and the log
    records the decision with the note and the warnings added.

    NoDecision, NoteNeeded, OwnStory, StoryNotFound, NoAuthor ("changes" with nobody to
    ask), the refusals of warnings_to_add, or AlreadyDecided when no report is open any
    more (another mentor decided first). Nothing is written when any is raised.
    """
    note = checked_note(decision, REPORT_DECISIONS, note)
    story = decidable(actor, story_id)
    if decision == "changes" and story.author_id is None:
        raise NoAuthor()
    added = warnings_to_add(story, decision, warnings)
    reporters = list(
        db.session.scalars(
            select(StoryReport.reporter_id).where(
                StoryReport.story_id == story.id, StoryReport.resolved_at.is_(None)
            )
        )
    )
    outcome = OUTCOMES[decision]
    resolved = db.session.execute(
        update(StoryReport)
        .where(StoryReport.story_id == story.id, StoryReport.resolved_at.is_(None))
        .values(resolved_at=now, outcome=outcome)
    )
    if resolved.rowcount == 0:
        raise AlreadyDecided()
    # Funders' counts know two outcomes: only a take-down is not "kept up".
    measure = Measure.REPORT_REMOVED if decision == "remove" else Measure.REPORT_KEPT
    counting.count(measure, program_id=None, now=now, by=resolved.rowcount)
    title = story.published_title or story.title
    if decision == "keep":
        story.hidden_at = None
    elif decision == "warn":
        publishing.add_warnings(story, added)
        story.hidden_at = None
        publishing.notify_author(
            story, "story_warning_added", now=now, title=title, mentor_note=note, warnings=added
        )
    elif decision == "changes":
        story.status, story.decided_at, story.review_note = Status.CHANGES_REQUESTED, now, note
        story.updated_at = now  # the author's 180 days to edit start now, as for a draft
        publishing.notify_author(
            story,
            "story_changes_after_report",
            now=now,
            title=title,
            mentor_note=note,
            hidden=story.hidden_at is not None,
        )
    else:
        publishing.unpublish(story)
        story.status, story.decided_at, story.review_note = Status.DECLINED, now, note
        days = rule_for("story_declined").days
        publishing.notify_author(
            story, "story_taken_down", now=now, title=title, mentor_note=note, num=days
        )
    tell_reporters(story, reporters, f"report_outcome_{outcome}", title=title, now=now)
    record(actor, story.id, f"report_{outcome}", note, now=now, warnings=added or None)
    db.session.flush()
    return story


def tell_reporters(
    story: Story, reporters: list[int], kind: str, *, title: str, now: datetime
) -> None:
    """Tell each reporter the outcome: by the story's title, with a link to it, while they
    can still read it; otherwise as "a story you reported", leading nowhere. Either way the
    notice is tied to the story (story_id), so it goes when the story goes."""
    named = {"link": f"/stories/{story.id}", "title": title}
    said = named if still_readable(story, now=now) else {}
    for reporter_id in reporters:
        notify(reporter_id, kind, now=now, story_id=story.id, **said)
