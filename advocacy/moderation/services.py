"""Moderation rules: the review queue, decisions on stories, and the log (stories with
open reports and the decisions on them: reported.py).

A mentor never decides on their own story, and two mentors can never decide the
same story at once: every decision is a conditional update on the state the
mentor saw, and the second one is told it was already decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation.models import ModerationEntry
from advocacy.privacy import registry
from advocacy.stories import publishing
from advocacy.stories import services as stories
from advocacy.stories.models import Status, Story, StoryReport

LOG_PAGE_SIZE = 50
NOTE_MAX = 1000
STORY_DECISIONS = ("approve", "changes", "decline")
# Decisions the author must be given a reason for (on a review, or on reports).
NOTE_NEEDED = frozenset({"changes", "decline", "warn", "remove"})
ACTIONS = {
    "approved": _l("Approved"),
    "changes_requested": _l("Asked for changes"),
    "declined": _l("Declined"),
    "report_kept": _l("Kept after reports"),
    "report_warning_added": _l("Content warning added after reports"),
    "report_changes_requested": _l("Asked for changes after reports"),
    "report_removed": _l("Taken down after reports"),
}


class AlreadyDecided(stories.StoryError):
    message = _l(
        "Another mentor has already decided on this story, or its author changed it. "
        "Nothing more is needed from you."
    )


class OwnStory(stories.NotAllowed):
    message = _l("This is your own story, so another mentor will review it.")


class NoDecision(stories.StoryError):
    message = _l("Please choose a decision.")


class NoteNeeded(stories.StoryError):
    message = _l("Please write a short note to the author.")


def checked_note(decision: str, choices: tuple[str, ...], note: str) -> str:
    """Return the mentor's note to the author, trimmed, at most NOTE_MAX characters.

    NoDecision when `decision` is not one of `choices`; NoteNeeded when the decision is
    one the author must be given a reason for (NOTE_NEEDED) and the note is blank.
    """
    if decision not in choices:
        raise NoDecision()
    note = note.strip()[:NOTE_MAX]
    if decision in NOTE_NEEDED and not note:
        raise NoteNeeded()
    return note


def decidable(actor: Account, story_id: int) -> Story:
    """Return the story for a moderator to decide about: StoryNotFound when there is none,
    OwnStory when they wrote it (DESIGN §2: never one's own, reports included)."""
    story = db.session.get(Story, story_id)
    if story is None:
        raise stories.StoryNotFound()
    if story.author_id == actor.id:
        raise OwnStory()
    return story


def record(
    actor: Account,
    story_id: int,
    action: str,
    note: str,
    *,
    now: datetime,
    warnings: list[str] | None = None,
) -> None:
    """Write a log entry: who, what, when, the note (and any warnings added). Never the
    story's text, never who reported it."""
    db.session.add(
        ModerationEntry(
            actor_id=actor.id,
            story_id=story_id,
            action=action,
            note=note,
            warnings=warnings,
            created_at=now,
        )
    )


# The queue


def pending_queue() -> list[Story]:
    """Return the stories awaiting review, oldest first."""
    return list(
        db.session.scalars(
            select(Story)
            .where(Story.status == Status.PENDING)
            .order_by(Story.submitted_at, Story.id)
        )
    )


@dataclass(frozen=True)
class Backlog:
    """How much the moderation queue holds: stories awaiting review, and stories with open
    reports (each story once, however many reports). Counts only, never which stories."""

    pending: int
    reported: int

    @property
    def total(self) -> int:
        return self.pending + self.reported


def backlog() -> Backlog:
    """Count the queue (pending_queue and reported_queue, as lengths) in one query."""
    pending = (
        select(func.count()).select_from(Story).where(Story.status == Status.PENDING)
    ).scalar_subquery()
    reported = (
        select(func.count(StoryReport.story_id.distinct()))
        .where(StoryReport.resolved_at.is_(None))
        .scalar_subquery()
    )
    row = db.session.execute(select(pending, reported)).one()
    return Backlog(pending=row[0], reported=row[1])


def story_for_review(story_id: int) -> Story:
    """Return a story awaiting review, or raise StoryNotFound."""
    story = db.session.get(Story, story_id)
    if story is None or story.status != Status.PENDING:
        raise stories.StoryNotFound()
    return story


def authored_story(story_id: int) -> tuple[Story, Account]:
    """Return a story moderators may see (awaiting review, or published) whose author still
    has an account, with that account; else StoryNotFound (drafts stay private)."""
    story = db.session.get(Story, story_id)
    visible = story is not None and (story.status == Status.PENDING or story.is_published)
    author = db.session.get(Account, story.author_id) if visible and story.author_id else None
    if author is None:
        raise stories.StoryNotFound()
    return story, author


# Decisions


def decide_story(
    actor: Account,
    story_id: int,
    decision: str,
    *,
    note: str,
    seen_updated_at: datetime | None,
    now: datetime,
) -> Story:
    """Approve, ask for changes or decline a pending story, exactly once."""
    note = checked_note(decision, STORY_DECISIONS, note)
    story = decidable(actor, story_id)
    if story.status != Status.PENDING or (
        seen_updated_at is not None and story.updated_at != seen_updated_at
    ):
        raise AlreadyDecided()
    status = {
        "approve": Status.PUBLISHED,
        "changes": Status.CHANGES_REQUESTED,
        "decline": Status.DECLINED,
    }[decision]
    # The conditional update is the lock: only one decision finds the story still pending.
    claimed = db.session.execute(
        update(Story)
        .where(
            Story.id == story.id,
            Story.status == Status.PENDING,
            Story.updated_at == story.updated_at,
        )
        .values(status=status, decided_at=now, review_note=note)
    )
    if claimed.rowcount != 1:
        db.session.expire(story)  # the copy here was stale: read what the other did
        raise AlreadyDecided()
    if decision == "approve":
        publishing.publish_working_copy(story, now=now)
        action, kind = "approved", "story_approved"
    elif decision == "changes":
        action, kind = "changes_requested", "story_changes_requested"
    else:
        action, kind = "declined", "story_declined"
    record(actor, story.id, action, note, now=now)
    publishing.notify_author(story, kind, now=now)
    db.session.flush()
    return story


# The log (admins)


def log_page(before_id: int | None, viewer_id: int) -> list[tuple[ModerationEntry, str | None]]:
    """Return one page of the log, newest first, with each actor's pseudonym; never the
    decisions on the viewer's own stories (a moderator never acts on, or watches the
    moderation of, their own story: DESIGN §2; its author reads them in the export)."""
    own = select(Story.id).where(Story.author_id == viewer_id)
    query = (
        select(ModerationEntry, Account.pseudonym)
        .outerjoin(Account)
        .where(or_(ModerationEntry.story_id.is_(None), ModerationEntry.story_id.not_in(own)))
        .order_by(ModerationEntry.id.desc())
        .limit(LOG_PAGE_SIZE + 1)
    )
    if before_id is not None:
        query = query.where(ModerationEntry.id < before_id)
    return [(entry, pseudonym) for entry, pseudonym in db.session.execute(query)]


# Privacy


def exported(entries: Iterable[ModerationEntry]) -> list[dict]:
    """Log entries as an export shows them: story id, action, note, the warnings added
    (a list, empty for other decisions), ISO 8601 time; never who decided and never story
    text."""
    return [
        {
            "story_id": entry.story_id,
            "action": entry.action,
            "note": entry.note,
            "warnings_added": entry.warnings or [],
            "created_at": entry.created_at.isoformat(),
        }
        for entry in entries
    ]


def export_entries(account: Account) -> list[dict]:
    """Return the decisions the account made as a mentor, oldest first."""
    return exported(
        db.session.scalars(
            select(ModerationEntry)
            .where(ModerationEntry.actor_id == account.id)
            .order_by(ModerationEntry.id)
        )
    )


def export_decisions_on_own_stories(account: Account) -> list[dict]:
    """Return the decisions about the account's stories, oldest first."""
    return exported(
        db.session.scalars(
            select(ModerationEntry)
            .join(Story)
            .where(Story.author_id == account.id)
            .order_by(ModerationEntry.id)
        )
    )


def export_moderation(account: Account) -> dict:
    return {
        "decisions_you_made": export_entries(account),
        "decisions_on_your_stories": export_decisions_on_own_stories(account),
    }


def delete_moderation(account: Account) -> None:
    """Keep the log's record of decisions, but without the deleted account's id."""
    db.session.execute(
        update(ModerationEntry).where(ModerationEntry.actor_id == account.id).values(actor_id=None)
    )


def old_entries(now: datetime, days: int):
    """Log entries older than `days`."""
    return ModerationEntry.created_at < now - timedelta(days=days)


registry.register("moderation", export=export_moderation, delete=delete_moderation)
registry.register_purger(
    "log",
    "moderation log entries",
    count=lambda now, days: registry.count_where(ModerationEntry, old_entries(now, days)),
    batch=lambda now, days, size: len(
        registry.delete_batch(ModerationEntry, old_entries(now, days), size)
    ),
)
