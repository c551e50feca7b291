"""Retention rules: what is kept, why, and for how long (DESIGN §4).

The privacy page is generated from this table, and the purge applies it, so the
page can never promise something the platform does not do.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class RetentionRule:
    """One kind of record, how long it is kept and from when."""

    kind: str
    what: str
    why: str
    setting: str
    default_days: int
    counted_from: str

    @property
    def days(self) -> int:
        """Return the period in force (the setting, else the default)."""
        return int(current_app.config.get(self.setting, self.default_days))


RULES = (
    RetentionRule(
        "account",
        _l("Your account: pseudonym, password hash, settings"),
        _l("So you can sign in."),
        "RETENTION_ACCOUNT_INACTIVE_DAYS",
        548,
        _l("your last sign-in (deleted sooner if you delete it)"),
    ),
    RetentionRule(
        "story_draft",
        _l("Story drafts you never submitted"),
        _l("So you can finish them later."),
        "RETENTION_DRAFT_DAYS",
        180,
        _l("the last edit"),
    ),
    RetentionRule(
        "story_declined",
        _l("Stories that were declined"),
        _l("So you can read the mentor's note and copy your text."),
        "RETENTION_DECLINED_STORY_DAYS",
        30,
        _l("the decision"),
    ),
    RetentionRule(
        "rsvp",
        _l("Your RSVPs to events"),
        _l("So staff know who is coming."),
        "RETENTION_RSVP_DAYS",
        30,
        _l("the end of the event (only a count is kept after that)"),
    ),
    RetentionRule(
        "enrollment",
        _l("Your enrollments in programs"),
        _l("So staff can run the program and record completion."),
        "RETENTION_ENROLLMENT_DAYS",
        365,
        _l("the end of the program (only a count is kept after that)"),
    ),
    RetentionRule(
        "notice",
        _l("In-app notices"),
        _l("To tell you about decisions and changes."),
        "RETENTION_NOTICE_DAYS",
        90,
        _l("when the notice was sent (30 days after you read it, at most 90)"),
    ),
    RetentionRule(
        "log",
        _l("Moderation and admin log entries"),
        _l("So decisions can be checked and reversed."),
        "RETENTION_LOG_DAYS",
        180,
        _l("the entry"),
    ),
    RetentionRule(
        "report",
        _l("Reports of stories"),
        _l("So mentors can review them and you can hear the outcome."),
        "RETENTION_REPORT_DAYS",
        90,
        _l("when the report was resolved"),
    ),
)


def retention_rules() -> tuple[RetentionRule, ...]:
    """Return the rules in force."""
    return RULES
