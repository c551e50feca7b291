"""Moderator care: what the identity check finds in a story under review, and a break.

Mentors are survivors too, and the second line of defence for authors (issue 15):

- the review page runs the identity check (stories/identity.py, its public API only) on the
  text under review and shows each finding marked, with whether the author saw them and
  chose to keep them (`Story.findings_kept`, a count set when the author sent it);
- the queue suggests a break once a day, after MODERATION_BREAK_AFTER decisions (config)
  on the site's local date, counted from the moderation log.

Whether a story opens at once is the moderator's own choice
(`Account.opens_stories_in_review`, saved on the account page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from advocacy import clock
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation.models import ModerationEntry
from advocacy.stories.identity import Finding, find_identifiers, highlight
from advocacy.stories.models import Story

# Characters of the story shown either side of a finding in the list (cut at a space).
EXCERPT_CONTEXT = 40
# The author's labels say "your own pseudonym". The mentor reads a neutral word: saying
# whose name it is would tell them who wrote an anonymous story, even where the pseudonym
# is an everyday word ("hope").
MENTOR_LABELS = {"pseudonym": _l("a name")}
PARTS = {
    "title": _l("in the title"),
    "warning_note": _l("in the content warning note"),
    "body": _l("in the story"),
}


@dataclass(frozen=True)
class Marked:
    """One finding as the mentor sees it: its label, where it is, and a short excerpt
    around it (`before` + `text` + `after`, plain text for the template to escape)."""

    number: int  # 1, 2, … in reading order: the body's marks are #finding-<number>
    part: str  # a key of PARTS
    label: str
    before: str
    text: str
    after: str

    @property
    def where(self) -> str:
        return str(PARTS[self.part])


@dataclass(frozen=True)
class ReviewCheck:
    """The identity check on a story under review.

    `findings` lists every finding (title, warning note, then body); `pieces` splits the
    body into (text, Marked | None) for marking; `kept` is `Story.findings_kept` (None: not
    known, the story was sent before it was kept).
    """

    findings: list[Marked]
    pieces: list[tuple[str, Marked | None]]
    kept: int | None

    @property
    def in_body(self) -> bool:
        """Whether any finding is in the story's text (so it is shown marked, as written)."""
        return any(marked.part == "body" for marked in self.findings)

    @property
    def labels(self) -> str:
        """The kinds found, each once, in reading order ("a phone number, an email address")."""
        return ", ".join(dict.fromkeys(marked.label for marked in self.findings))

    @property
    def statement(self) -> str:
        """Say plainly whether the author saw these and chose to keep them."""
        if not self.findings:
            return str(_l("The identity check found nothing that could identify someone."))
        if self.kept is None:
            return str(_l("The story was sent before the site kept whether its author saw these."))
        if self.kept == 0:
            return str(
                _l(
                    "The author was not shown these: the check found nothing when the "
                    "story was sent."
                )
            )
        if self.kept < len(self.findings):
            return ngettext(
                "The author saw %(num)s of these and chose to keep it; the check finds more now.",
                "The author saw %(num)s of these and chose to keep them; the check finds more now.",
                self.kept,
            )
        return str(_l("The author saw these and chose to keep them."))


def excerpt(text: str, finding: Finding) -> tuple[str, str]:
    """Return up to EXCERPT_CONTEXT characters before and after the finding, on one line,
    cut at a space where the text goes on, with "…" where it was cut."""
    start, end = max(0, finding.start - EXCERPT_CONTEXT), finding.end + EXCERPT_CONTEXT
    before, after = text[start : finding.start], text[finding.end : end]
    if start > 0:
        before = "…" + re.sub(r"^\S*\s", "", before)
    if end < len(text):
        after = re.sub(r"\s\S*$", "", after) + "…"
    return re.sub(r"\s+", " ", before), re.sub(r"\s+", " ", after)


def review_check(story: Story) -> ReviewCheck:
    """Run the identity check on the story's working copy, with its author's pseudonym
    (none once the author's account is gone), part by part."""
    author = db.session.get(Account, story.author_id) if story.author_id else None
    pseudonym = author.pseudonym if author else None
    findings: list[Marked] = []
    by_finding: dict[Finding, Marked] = {}

    def check(part: str, text: str) -> list[Finding]:
        found = find_identifiers(text, pseudonym=pseudonym)
        for finding in found:
            before, after = excerpt(text, finding)
            label = str(MENTOR_LABELS.get(finding.kind, finding.label))
            marked = Marked(len(findings) + 1, part, label, before, finding.text, after)
            findings.append(marked)
            by_finding[finding] = marked
        return found

    check("title", story.title)
    check("warning_note", story.warning_note)
    pieces = [
        (piece, by_finding[finding] if finding else None)
        for piece, finding in highlight(story.body, check("body", story.body))
    ]
    return ReviewCheck(findings, pieces, story.findings_kept)


# A break, once a day


def decisions_on(account: Account, day: date) -> int:
    """Count the account's decisions (stories and reports) in the moderation log on the
    site's local date `day` (clock.local_span). A withdrawn story takes its entries with it."""
    start, end = clock.local_span(day, day)
    return db.session.scalar(
        select(func.count())
        .select_from(ModerationEntry)
        .where(
            ModerationEntry.actor_id == account.id,
            ModerationEntry.created_at >= start,
            ModerationEntry.created_at < end,
        )
    )


def break_due(account: Account, day: date, *, after: int, suggested_on: str | None) -> int | None:
    """Return how many decisions the account made on `day` when a break should be suggested:
    at least `after` of them (0 or less: never) and not yet suggested that day
    (`suggested_on`, the ISO date it last was, or None). Otherwise None."""
    if after <= 0 or suggested_on == day.isoformat():
        return None
    made = decisions_on(account, day)
    return made if made >= after else None
