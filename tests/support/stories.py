"""Builders for stories in every state, straight through the services.

make_story works from outside (its own app context, committed); pending, published and
report build in the open session, for service-level tests with an explicit time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation import services as moderation
from advocacy.stories import reports, services
from advocacy.stories.models import Story

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def make_story(
    app: Flask,
    author_id: int,
    *,
    state: str = "published",
    title: str = "Finding my voice",
    body: str = "I learned to *speak* again.",
    warnings: list[str] | None = None,
    audience: str = "public",
    anonymous: bool = False,
    mentor_id: int | None = None,
    reporters: tuple[int, ...] = (),
    now: datetime = WHEN,
) -> int:
    """Create a story as its author and bring it to state; return its id.

    state: draft, pending, changes_requested, declined or published. Publishing and
    the other decisions need a mentor: pass mentor_id, or one is made.
    """
    with app.app_context():
        author = db.session.get(Account, author_id)
        data = services.StoryInput(
            title=title,
            body=body,
            warnings=warnings or [],
            audience=audience,
            is_anonymous=anonymous,
        )
        if state == "draft":
            story = services.save_draft(author, data, now=now)
        else:
            result = services.submit(author, data, now=now, confirmed="any")
            story = result.story
            if not result.submitted:
                story = services.submit(
                    author, data, now=now, story=story, confirmed=result.fingerprint
                ).story
        if state not in ("draft", "pending"):
            mentor = db.session.get(Account, mentor_id) if mentor_id else moderator()
            decision = {
                "published": "approve",
                "changes_requested": "changes",
                "declined": "decline",
            }[state]
            moderation.decide_story(
                mentor, story.id, decision, note="A note.", seen_updated_at=None, now=now
            )
        for reporter_id in reporters:
            reports.report(
                db.session.get(Account, reporter_id),
                story.id,
                category="harassment",
                note="",
                now=now,
            )
        db.session.commit()
        return story.id


def moderator() -> Account:
    """Return a mentor made for decisions in tests (one per database)."""
    from advocacy.accounts.policy import pseudonym_key
    from advocacy.extensions import passwords

    mentor = db.session.scalar(db.select(Account).where(Account.pseudonym == "builder-mentor"))
    if mentor is None:
        mentor = Account(
            pseudonym="builder-mentor",
            pseudonym_key=pseudonym_key("builder-mentor"),
            password_hash=passwords.hash("builder mentor password here"),
            role="mentor",
            created_at=datetime.now(UTC),
        )
        db.session.add(mentor)
        db.session.flush()
    return mentor


def load_story(app: Flask, story_id: int) -> Story | None:
    """Read a story fresh from the database (detached)."""
    with app.app_context():
        story = db.session.get(Story, story_id)
        if story is not None:
            db.session.expunge(story)
        return story


def access_objects(app: Flask, author_id: int, reporter_id: int) -> dict[str, int]:
    """The stories the route table's paths need: author's published, pending and reported."""
    return {
        "story_id": make_story(app, author_id, title="A public story"),
        "pending_id": make_story(app, author_id, state="pending", title="Waiting"),
        "reported_id": make_story(app, author_id, title="Reported story", reporters=(reporter_id,)),
    }


def pending(author: Account, title: str = "Finding my voice", *, at: datetime = WHEN) -> Story:
    """A story the author sent for review at `at` (plain text: the identity check is quiet)."""
    data = services.StoryInput(title=title, body="I learned to speak again.")
    return services.submit(author, data, now=at).story


def published(
    author: Account, mentor: Account, title: str = "Finding my voice", *, at: datetime = WHEN
) -> Story:
    """A story sent for review and approved by `mentor` at `at`."""
    story = pending(author, title, at=at)
    moderation.decide_story(mentor, story.id, "approve", note="", seen_updated_at=None, now=at)
    return story


def report(
    reporter: Account, story: Story, category: str = "harassment", *, at: datetime, note: str = ""
) -> None:
    """`reporter` reports `story` at `at`."""
    reports.report(reporter, story.id, category=category, note=note, now=at)
