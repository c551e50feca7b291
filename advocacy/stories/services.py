"""Writing a story: drafts, the identity check before review, sharing, withdrawing.

Services take `now`, flush but never commit, and raise StoryError subclasses
whose message a view can show as it is. Reading has a module of its own
(reading.py), and so do the published version (publishing.py) and reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advocacy import clock
from advocacy.accounts import standing
from advocacy.accounts.models import Account
from advocacy.domain import DomainError
from advocacy.extensions import db
from advocacy.faults import fault_point
from advocacy.reports.counting import Measure, count
from advocacy.stories.identity import Finding, find_identifiers, fingerprint
from advocacy.stories.models import Audience, Status, Story

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
