"""What the stories domain holds about an account (export, deletion), and its purges."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, delete, select, update

from advocacy import i18n
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices.services import forget_other_versions
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for
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
# The working copy as the published version: what a story is again once an edit of it
# goes (its author kept it as "Anonymous", or the edit's retention ended).
PUBLISHED_VERSION = {
    "title": Story.published_title,
    "body": Story.published_body,
    "warnings": Story.published_warnings,
    "warning_note": Story.published_warning_note,
    "status": Status.PUBLISHED,
    "review_note": "",
}


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
            .values(author_id=None, is_anonymous=True, **PUBLISHED_VERSION)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        delete(Story)
        .where(Story.author_id == account.id)
        .execution_options(synchronize_session=False)
    )


def summarize(account: Account) -> list[registry.Held]:
    """Say how many stories and reports the account has, and when they go."""
    return [
        registry.Held(
            str(_l("Your stories, drafts included")),
            registry.count_where(Story, Story.author_id == account.id),
            _(
                "when you withdraw them or delete your account; drafts you never submit "
                "%(drafts)s after your last edit, declined stories %(declined)s "
                "after the decision (changes to a published story too: the published "
                "version stays)",
                drafts=i18n.days(rule_for("story_draft").days),
                declined=i18n.days(rule_for("story_declined").days),
            ),
        ),
        registry.Held(
            str(_l("Reports you made")),
            registry.count_where(StoryReport, StoryReport.reporter_id == account.id),
            ngettext(
                "%(num)s day after a mentor decides",
                "%(num)s days after a mentor decides",
                rule_for("report").days,
            ),
        ),
    ]


def unsubmitted(now: datetime, days: int):
    """Working copies never sent for review, or sent back for changes, not edited for
    `days`: a story a mentor sent back is a draft again, and goes like any draft."""
    return and_(
        Story.status.in_((Status.DRAFT, Status.CHANGES_REQUESTED)),
        Story.updated_at < now - timedelta(days=days),
    )


def declined(now: datetime, days: int):
    """Working copies declined (or taken down after reports) more than `days` ago."""
    return and_(Story.status == Status.DECLINED, Story.decided_at < now - timedelta(days=days))


def abandoned_drafts(now: datetime, days: int):
    """Stories never published whose draft has expired (`unsubmitted`): deleted whole."""
    return and_(unsubmitted(now, days), Story.published_at.is_(None))


def declined_stories(now: datetime, days: int):
    """Stories never published (or taken down) that were declined more than `days` ago:
    deleted whole."""
    return and_(declined(now, days), Story.published_at.is_(None))


def abandoned_edits(now: datetime, days: int):
    """New versions of a published story left unsubmitted (`unsubmitted`): they go, the
    published version stays (DESIGN §4: drafts never submitted, 180 days)."""
    return and_(unsubmitted(now, days), Story.published_at.is_not(None))


def declined_edits(now: datetime, days: int):
    """New versions of a published story declined more than `days` ago: they go, the
    published version stays (DESIGN §4: declined, 30 days)."""
    return and_(declined(now, days), Story.published_at.is_not(None))


def resolved_reports(now: datetime, days: int):
    """Reports resolved more than `days` ago (open reports stay until a mentor decides)."""
    return StoryReport.resolved_at < now - timedelta(days=days)


def count_expired(model, condition, now: datetime, days: int) -> int:
    """A purger's count: how many rows of model match `condition(now, days)` (bound to
    model and condition with functools.partial, so it runs, and can change, per call)."""
    return registry.count_where(model, condition(now, days))


def delete_expired(model, condition, now: datetime, days: int, size: int) -> int:
    """A purger's batch: delete up to `size` rows of model matching `condition(now, days)`.

    Deleting a story deletes what hangs off it, as withdrawing one does: its reports,
    moderation log entries and the notices about it go with it (ON DELETE CASCADE).
    """
    return len(registry.delete_batch(model, condition(now, days), size))


def revert_expired(condition, now: datetime, days: int, size: int) -> int:
    """A purger's batch: up to `size` stories matching `condition(now, days)` lose their
    working copy, which is the published version again; the notices that name the version
    that went (or any title but the published one) go with it. Returns how many."""
    ids = registry.claim_batch(Story, condition(now, days), size)
    if ids:
        db.session.execute(
            update(Story)
            .where(Story.id.in_(ids))
            .values(**PUBLISHED_VERSION)
            .execution_options(synchronize_session=False)
        )
        kept = select(Story.id, Story.published_title).where(Story.id.in_(ids))
        forget_other_versions(dict(db.session.execute(kept).all()))
    return len(ids)


registry.register(
    "stories",
    export=export_stories,
    delete=delete_stories,
    summary=summarize,
    choice=STORIES_CHOICE,
)
registry.register_purger(
    "story_draft",
    "story drafts",
    count=partial(count_expired, Story, abandoned_drafts),
    batch=partial(delete_expired, Story, abandoned_drafts),
)
registry.register_purger(
    "story_declined",
    "declined stories",
    count=partial(count_expired, Story, declined_stories),
    batch=partial(delete_expired, Story, declined_stories),
)
registry.register_purger(
    "story_draft",
    "unsubmitted story edits",
    count=partial(count_expired, Story, abandoned_edits),
    batch=partial(revert_expired, abandoned_edits),
)
registry.register_purger(
    "story_declined",
    "declined story edits",
    count=partial(count_expired, Story, declined_edits),
    batch=partial(revert_expired, declined_edits),
)
registry.register_purger(
    "report",
    "story reports",
    count=partial(count_expired, StoryReport, resolved_reports),
    batch=partial(delete_expired, StoryReport, resolved_reports),
)
