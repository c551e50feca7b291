"""Retention rules: what is kept, why, who sees it and for how long (DESIGN §4).

The privacy page is generated from this table, and `flask privacy purge` applies
it, so the page can never promise something the platform does not do.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class RetentionRule:
    """One kind of record, how long it is kept and from when.

    `counted_from` follows "after" on the privacy page ("90 days after the report was
    resolved", "at the next daily clean-up after they expire"): a noun ("the decision")
    or a clause ("it was sent"), never "when …"."""

    kind: str
    what: str
    why: str
    who: str
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
        _l(
            "Your account: pseudonym, password hash, settings (a time zone only if you chose "
            "one: it can hint at where you live), last sign-in date, and your answer if you "
            "may become a peer mentor"
        ),
        _l("So you can sign in."),
        _l("You; admins see pseudonyms and roles, and that answer."),
        "RETENTION_ACCOUNT_INACTIVE_DAYS",
        548,
        _l("your last sign-in (sooner if you delete it)"),
    ),
    RetentionRule(
        "story_draft",
        _l(
            "Story drafts you never submitted, and changes to a published story you never "
            "sent for review (the published version stays)"
        ),
        _l("So you can finish them later."),
        _l("Only you."),
        "RETENTION_DRAFT_DAYS",
        180,
        _l("the last edit"),
    ),
    RetentionRule(
        "story_declined",
        _l(
            "Stories that were declined, and declined changes to a published story (the "
            "published version stays)"
        ),
        _l("So you can read the mentor's note and copy your text."),
        _l("You, and the mentors who moderate."),
        "RETENTION_DECLINED_STORY_DAYS",
        30,
        _l("the decision"),
    ),
    RetentionRule(
        "rsvp",
        _l("Your RSVPs to events outside programs, and whether you came"),
        _l("So staff know who is coming."),
        _l("You, and the staff member who runs the event."),
        "RETENTION_RSVP_DAYS",
        30,
        _l("the end of the event (only a count is kept after that)"),
    ),
    RetentionRule(
        "enrollment",
        _l(
            "Your places in programs, whether you came to each of their meetings, the "
            "sessions you marked done, and completion"
        ),
        _l("So staff can run the program, see who came and record completion."),
        _l("You, and program staff."),
        "RETENTION_ENROLLMENT_DAYS",
        365,
        _l(
            "the end of the program (only counts are kept after that; letters can no "
            "longer be checked)"
        ),
    ),
    RetentionRule(
        "notice",
        _l("In-app notices"),
        _l("To tell you about decisions and changes."),
        _l("Only you."),
        "RETENTION_NOTICE_DAYS",
        90,
        _l("the notice was sent (you can dismiss one sooner: it is deleted at once)"),
    ),
    RetentionRule(
        "log",
        _l("Moderation and admin log entries (who did what, when; never story text)"),
        _l("So decisions can be checked and reversed."),
        _l(
            "Mentors and admins see the moderation log (never who reported a story); "
            "admins the admin log."
        ),
        "RETENTION_LOG_DAYS",
        180,
        _l("the entry"),
    ),
    RetentionRule(
        "report",
        _l("Reports of stories"),
        _l("So mentors can review them and you can hear the outcome."),
        _l("Mentors, without your pseudonym."),
        "RETENTION_REPORT_DAYS",
        90,
        _l("the report was resolved"),
    ),
    RetentionRule(
        "invite",
        _l("Invite codes (stored scrambled)"),
        _l("So people can join."),
        _l("Nobody can read them back."),
        "RETENTION_INVITE_DAYS",
        0,
        _l("they expire or are used up"),
    ),
    RetentionRule(
        "reset_code",
        _l("Password reset codes from staff (stored scrambled)"),
        _l("So a member who lost every code can get back in."),
        _l("Nobody can read them back."),
        "RETENTION_RESET_CODE_DAYS",
        0,
        _l("they expire"),
    ),
    RetentionRule(
        "retired_name",
        _l(
            "A pseudonym no longer in use (its account was deleted or removed, or it was "
            "changed), kept only as a keyed hash, never the name itself"
        ),
        _l("So nobody else can take that name and pass as its owner."),
        _l("Nobody can read it back."),
        "RETENTION_RETIRED_NAME_DAYS",
        180,
        _l("the name stopped being used"),
    ),
    RetentionRule(
        "sent_form",
        _l(
            "A random mark for each form sent, kept scrambled: nothing about you or what "
            "the form said"
        ),
        _l("So a form sent twice (a double tap, a slow connection) makes one thing, not two."),
        _l("Nobody sees it."),
        "RETENTION_SENT_FORM_DAYS",
        1,
        _l("it was sent"),
    ),
)


def retention_rules() -> tuple[RetentionRule, ...]:
    """Return the rules in force."""
    return RULES


def rule_for(kind: str) -> RetentionRule:
    """Return the rule of one kind of record."""
    return next(r for r in RULES if r.kind == kind)
