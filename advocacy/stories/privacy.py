"""What the stories domain holds about an account, for export and deletion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.stories.models import Status, Story, StoryPreference, StoryReport

KEEP_ANONYMOUS = "keep_anonymous"
DELETE_ALL = "delete"
STORIES_CHOICE = registry.DeletionChoice(
    field="published_stories",
    label=_l("Your published stories"),
    options=(
        (DELETE_ALL, _l("Delete them with my account")),
        (KEEP_ANONYMOUS, _l("Keep them, signed “Anonymous”, with no link to me")),
    ),
    default=DELETE_ALL,
)


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_stories(account: Account) -> dict:
    """Return the account's stories (drafts included), reports and warning settings."""
    stories = db.session.scalars(
        select(Story).where(Story.author_id == account.id).order_by(Story.id)
    )
    reports = db.session.scalars(
        select(StoryReport).where(StoryReport.reporter_id == account.id).order_by(StoryReport.id)
    )
    preference = db.session.get(StoryPreference, account.id)
    return {
        "stories": [
            {
                "id": story.id,
                "title": story.title,
                "text": story.body,
                "content_warnings": story.warnings,
                "content_warning_note": story.warning_note,
                "audience": story.audience,
                "anonymous_byline": story.is_anonymous,
                "unpublish_on": iso(story.unpublish_on),
                "status": story.status,
                "mentor_note": story.review_note,
                "created_at": iso(story.created_at),
                "updated_at": iso(story.updated_at),
                "submitted_at": iso(story.submitted_at),
                "published_at": iso(story.published_at),
                "published_title": story.published_title,
                "published_text": story.published_body,
            }
            for story in stories
        ],
        # Reports you made (the story is named by its number only).
        "reports": [
            {
                "story_id": report.story_id,
                "category": report.category,
                "note": report.note,
                "created_at": iso(report.created_at),
                "resolved_at": iso(report.resolved_at),
                "outcome": report.outcome,
            }
            for report in reports
        ],
        "always_hidden_warnings": preference.hidden_warnings if preference else [],
    }


def delete_stories(account: Account, published_stories: str = DELETE_ALL) -> None:
    """Delete drafts, reports and settings; published stories go, or stay as "Anonymous"."""
    db.session.execute(delete(StoryReport).where(StoryReport.reporter_id == account.id))
    db.session.execute(delete(StoryPreference).where(StoryPreference.account_id == account.id))
    if published_stories == KEEP_ANONYMOUS:
        # Only the approved version stays: unreviewed edits go, and nothing points back.
        db.session.execute(
            update(Story)
            .where(Story.author_id == account.id, Story.published_at.is_not(None))
            .values(
                author_id=None,
                is_anonymous=True,
                title=Story.published_title,
                body=Story.published_body,
                warnings=Story.published_warnings,
                warning_note=Story.published_warning_note,
                status=Status.PUBLISHED,
                review_note="",
            )
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        delete(Story)
        .where(Story.author_id == account.id)
        .execution_options(synchronize_session=False)
    )


registry.register("stories", export=export_stories, delete=delete_stories, choice=STORIES_CHOICE)
