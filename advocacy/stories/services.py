"""Story rules: drafts, the identity check before review, reading, consent.

Services take `now`, flush but never commit, and raise StoryError subclasses
whose message a view can show as it is. Reports have a module of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from advocacy import clock
from advocacy.accounts import standing
from advocacy.accounts.models import Account
from advocacy.domain import DomainError
from advocacy.extensions import db
from advocacy.faults import fault_point
from advocacy.notices.services import notify
from advocacy.reports.counting import Measure, count
from advocacy.sanitize import SANITIZER_VERSION, render_markdown
from advocacy.stories.identity import Finding, find_identifiers, fingerprint
from advocacy.stories.models import (
    Audience,
    Status,
    Story,
    StoryPreference,
)

PAGE_SIZE = 20
TITLE_MAX = 120
BODY_MAX = 20_000
WARNING_NOTE_MAX = 120

WARNINGS = {
    "violence": _l("Violence"),
    "sexual_violence": _l("Sexual violence"),
    "substance_use": _l("Substance use"),
    "self_harm": _l("Self-harm or suicide"),
    "court_police": _l("Court and police"),
    "family": _l("Family"),
    "exploitation": _l("Exploitation and control"),
}
# The working copy can be edited in these states (a pending one goes back to a draft).
EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED, Status.DECLINED, Status.PUBLISHED}


class StoryError(DomainError):
    """A refused story action."""


class StoryNotFound(StoryError):
    """No such story for this reader (it may exist, but is not theirs to see)."""

    message = _l("That story isn't available.")


class NotAllowed(StoryError):
    message = _l("Your account can't do that.")


@dataclass(frozen=True)
class StoryInput:
    """What the author writes and chooses (an explicit allowlist of fields)."""

    title: str
    body: str
    warnings: list[str] = field(default_factory=list)
    warning_note: str = ""
    audience: str = Audience.MEMBERS
    is_anonymous: bool = False
    unpublish_on: date | None = None


@dataclass(frozen=True)
class Submission:
    """The result of asking for review: submitted, or findings the author must look at."""

    story: Story
    findings: list[Finding]
    submitted: bool

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.findings)


# Writing


def check_input(data: StoryInput, *, today: date) -> StoryInput:
    """Refuse what the form cannot refuse alone; return the cleaned input."""
    title, body = data.title.strip(), data.body.strip()
    if not title or not body:
        raise StoryError(_l("Please give your story a title and some text."))
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise StoryError(_l("Your story is longer than we can keep. Please shorten it."))
    check_warnings(data.warnings)
    check_sharing(data.audience, data.unpublish_on, today=today)
    return StoryInput(
        title=title,
        body=body,
        warnings=sorted(set(data.warnings)),
        warning_note=data.warning_note.strip()[:WARNING_NOTE_MAX],
        audience=data.audience,
        is_anonymous=data.is_anonymous,
        unpublish_on=data.unpublish_on,
    )


def check_warnings(keys: list[str]) -> None:
    """Refuse content warnings that are not on the list (WARNINGS)."""
    if any(key not in WARNINGS for key in keys):
        raise StoryError(_l("Please choose content warnings from the list."))


def check_sharing(audience: str, unpublish_on: date | None, *, today: date) -> None:
    """Refuse an audience that is not an Audience, and an unpublish date not after `today`
    (a story set to end today would already be gone)."""
    if audience not in {a.value for a in Audience}:
        raise StoryError(_l("Please choose who can read your story."))
    if unpublish_on is not None and unpublish_on <= today:
        raise StoryError(_l("Please choose a date after today, or leave it empty."))


def own_story(author: Account, story_id: int) -> Story:
    """Return the author's story, or raise StoryNotFound (never tell whose it is)."""
    story = db.session.get(Story, story_id)
    if story is None or story.author_id != author.id:
        raise StoryNotFound()
    return story


def require_posting(account: Account, *, now: datetime) -> None:
    """Refuse, with the date, while a mentor or admin has stopped the account posting."""
    try:
        standing.check_can_post(account, now=now)
    except standing.PostingStopped as error:
        raise StoryError(error.message) from error


def _write(author: Account, data: StoryInput, *, now: datetime, story: Story | None) -> Story:
    data = check_input(data, today=clock.local_date(now))
    if story is None:
        story = Story(author_id=author.id, created_at=now)
        db.session.add(story)
    elif story.author_id != author.id:
        raise StoryNotFound()
    story.title, story.body = data.title, data.body
    story.warnings, story.warning_note = data.warnings, data.warning_note
    story.audience, story.is_anonymous = data.audience, data.is_anonymous
    story.unpublish_on = data.unpublish_on
    story.updated_at = now
    return story


def save_draft(
    author: Account, data: StoryInput, *, now: datetime, story: Story | None = None
) -> Story:
    """Save the working copy as a draft (a published version stays up meanwhile)."""
    story = _write(author, data, now=now, story=story)
    story.status = Status.DRAFT
    db.session.flush()
    return story


def submit(
    author: Account,
    data: StoryInput,
    *,
    now: datetime,
    story: Story | None = None,
    confirmed: str | None = None,
) -> Submission:
    """Save and send for review, unless the identity check finds something not yet confirmed.

    `confirmed` is the fingerprint of findings the author has seen and accepted; any
    other finding stops the submission (the text is kept as a draft). A posting stop
    refuses it, but drafts can still be saved: only the author sees them.
    """
    require_posting(author, now=now)
    story = _write(author, data, now=now, story=story)
    findings = identity_findings(story, author)
    if findings and confirmed != fingerprint(findings):
        story.status = Status.DRAFT
        db.session.flush()
        return Submission(story, findings, submitted=False)
    story.status = Status.PENDING
    story.submitted_at = now
    story.review_note = ""
    # The mentor is told the author saw these and kept them (a count, never the text).
    story.findings_kept = len(findings)
    db.session.flush()
    count(Measure.STORY_SUBMITTED, program_id=None, now=now)
    fault_point("story.written")
    return Submission(story, findings, submitted=True)


def identity_findings(story: Story, author: Account) -> list[Finding]:
    """Scan the title, warning note and text for identifying details."""
    text = "\n\n".join(part for part in (story.title, story.warning_note, story.body) if part)
    return find_identifiers(text, pseudonym=author.pseudonym)


def change_sharing(
    author: Account,
    story: Story,
    *,
    audience: str,
    is_anonymous: bool,
    unpublish_on: date | None,
    now: datetime,
) -> None:
    """Change who can read the story, the byline and the unpublish date (no review needed)."""
    if story.author_id != author.id:
        raise StoryNotFound()
    check_sharing(audience, unpublish_on, today=clock.local_date(now))
    story.audience, story.is_anonymous, story.unpublish_on = audience, is_anonymous, unpublish_on
    db.session.flush()


def withdraw(author: Account, story_id: int) -> None:
    """Delete the story and its history for real (its reports and log entries cascade)."""
    story = own_story(author, story_id)
    db.session.delete(story)
    db.session.flush()


def my_stories(author: Account) -> list[Story]:
    """Return the author's stories, most recently edited first."""
    return list(
        db.session.scalars(
            select(Story)
            .where(Story.author_id == author.id)
            .order_by(Story.updated_at.desc(), Story.id.desc())
        )
    )


# Reading


def readable(signed_in: bool, today: date):
    """The condition for a story any reader (signed in or not) may see."""
    condition = and_(
        Story.published_at.is_not(None),
        Story.hidden_at.is_(None),
        or_(Story.unpublish_on.is_(None), Story.unpublish_on > today),
    )
    if not signed_in:
        condition = and_(condition, Story.audience == Audience.PUBLIC)
    return condition


@dataclass(frozen=True)
class Listed:
    """A story in the reading list, with the byline to show."""

    story: Story
    byline: str | None  # None: "Anonymous"


def published_page(
    *, signed_in: bool, now: datetime, before: tuple[datetime, int] | None = None
) -> list[Listed]:
    """Return one page of readable stories, newest first (PAGE_SIZE + 1 to tell if there's more).

    One query whatever the page holds: the byline comes from the same join.
    """
    query = (
        select(Story, Account.pseudonym)
        .outerjoin(Account)  # the author (Story has one key to accounts)
        .where(readable(signed_in, clock.local_date(now)))
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before is not None:
        at, story_id = before
        query = query.where(
            or_(Story.published_at < at, and_(Story.published_at == at, Story.id < story_id))
        )
    return [
        Listed(story, None if story.byline_is_anonymous else pseudonym)
        for story, pseudonym in db.session.execute(query)
    ]


def readable_story(story_id: int, *, signed_in: bool, now: datetime) -> Listed:
    """Return a story the reader may see, or raise StoryNotFound (404 for everything else)."""
    row = db.session.execute(
        select(Story, Account.pseudonym)
        .outerjoin(Account)  # the author (Story has one key to accounts)
        .where(Story.id == story_id, readable(signed_in, clock.local_date(now)))
    ).first()
    if row is None:
        raise StoryNotFound()
    story, pseudonym = row
    return Listed(story, None if story.byline_is_anonymous else pseudonym)


def published_html(story: Story) -> str:
    """Return the published version's HTML, rendered again if the sanitizer has changed."""
    if story.html_version != SANITIZER_VERSION or story.published_html is None:
        return render_markdown(story.published_body or "")
    return story.published_html


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


# Warnings each member always wants hidden


def hidden_warnings(account: Account | None) -> set[str]:
    """Return the warnings the account always hides (none for visitors)."""
    if account is None:
        return set()
    preference = db.session.get(StoryPreference, account.id)
    return set(preference.hidden_warnings) if preference else set()


def set_hidden_warnings(account: Account, warnings: list[str]) -> None:
    """Save which warnings to always hide."""
    check_warnings(warnings)
    preference = db.session.get(StoryPreference, account.id)
    if preference is None:
        preference = StoryPreference(account_id=account.id)
        db.session.add(preference)
    preference.hidden_warnings = sorted(set(warnings))
    db.session.flush()


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
