"""Create, list and mark notices; other domains call notify()."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import or_, select, update

from advocacy import clock, i18n
from advocacy.accounts.role_words import role_word
from advocacy.extensions import db
from advocacy.notices import changes, hosting, story_notices
from advocacy.notices.models import Notice
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for

PAGE_SIZE = 30


def codes_left(left: int) -> str:
    """Say how many recovery codes an account has left, in the request's language."""
    return ngettext(
        "You have %(num)s recovery code left.", "You have %(num)s recovery codes left.", left
    )


def with_codes_left(what_happened: str) -> Callable[[Mapping], str]:
    """The words of a notice after a recovery code was used: what happened, how many codes
    are left (params["left"], a number or its digits), and what to do if it wasn't them."""

    def render(params: Mapping) -> str:
        return " ".join(
            (str(what_happened), codes_left(int(params["left"])), str(NOT_YOU_TALK_TO_STAFF))
        )

    return render


def on_the_day(words: str, key: str) -> Callable[[Mapping], str]:
    """The words of a notice that names a day: params[key], a UTC instant in ISO 8601, said
    when read as the day it falls on for the reader (the notice's owner, who alone sees it:
    their own time zone, else the site's, clock.zone_of) in the request's language. Notices
    left before the instant was stored hold "day", the day as written then, shown as is."""

    def render(params: Mapping) -> str:
        if key not in params:
            return str(words) % {"day": params["day"]}
        instant = datetime.fromisoformat(params[key])
        if instant.tzinfo is None:  # stored without its offset: UTC, as every instant here
            instant = instant.replace(tzinfo=UTC)
        day = i18n.say_date(clock.local_date(instant, clock.zone_of(current_user)))
        return str(words) % {"day": day}

    return render


UNREADABLE = _l(
    "This notice can't be shown in full. If it matters to you, talk to a staff member you trust."
)
ROLE_CHANGED = _l("An admin changed your role to %(role)s.")
NOT_YOU_TALK_TO_STAFF = _l("If this wasn't you, talk to a staff member you trust.")
# The kinds whose words are put together from their params when read.
RENDERERS = {
    **changes.RENDERERS,
    **hosting.RENDERERS,
    **story_notices.RENDERERS,
    "recovered_with_code": with_codes_left(
        _l("A recovery code was used to get into your account; the second factor was cleared.")
    ),
    "password_reset": with_codes_left(
        _l(
            "Your password was set anew with one of your recovery codes, and any second "
            "factor was cleared."
        )
    ),
    "account_paused": on_the_day(
        _l(
            "An admin paused your account on %(day)s. While it was paused, nobody could sign "
            "in to it."
        ),
        "at",
    ),
    "posting_stopped": on_the_day(
        _l(
            "A mentor or admin has stopped you posting stories and reports until %(day)s. "
            "You can still read, join programs and events. If you think this is a mistake, "
            "talk to a mentor or staff member."
        ),
        "until",
    ),
    # params["role"] is a Role value, named in the reader's language when read.
    "role_changed": lambda params: str(ROLE_CHANGED) % {"role": role_word(params["role"])},
    "unlocked_with_code": with_codes_left(
        _l(
            "A recovery code was used to sign in while sign-in was paused after many tries "
            "that didn't work."
        )
    ),
}
# What each kind of notice says; params fill the placeholders at display time.
MESSAGES = {
    "waitlist_promoted": _l("A place opened up: you're now confirmed for “%(title)s”."),
    "waitlist_to_approval": _l(
        "A place opened up in “%(title)s”: your request is now with staff, who will let you "
        "know soon."
    ),
    "enrollment_confirmed": _l("You have a place in “%(title)s”."),
    "enrollment_declined": _l("Your request to join “%(title)s” was not accepted."),
    "program_changed": _l("“%(title)s” has changed. Please check the new details."),
    "program_cancelled": _l("“%(title)s” has been cancelled."),
    "program_completed": _l(
        "You completed “%(title)s”. Well done! Your completion letter is ready whenever you "
        "want it."
    ),
    # A completion undone the same day (programs/completion.py): calm, naming nobody.
    "completion_corrected": _l(
        "The staff who run “%(title)s” corrected its completion record: it no longer shows "
        "as completed for you, and any completion letter made for it no longer verifies. If "
        "you have questions, the staff who run the program can tell you more."
    ),
    "story_approved": _l("Your story “%(title)s” is published."),
    "story_changes_requested": _l("A mentor asked for changes to your story “%(title)s”."),
    "story_declined": _l("Your story “%(title)s” was not published."),
    # After reports (moderation/reported.py) the words come from notices/story_notices.py.
    "report_outcome": _l("Thank you for your report. A mentor reviewed the story and %(outcome)s."),
    "password_changed": _l(
        "Your password was changed. If this wasn't you, set a new one with a recovery code "
        "and talk to a staff member you trust."
    ),
    "second_factor_on": _l("Your second factor is on: signing in now asks for a code."),
    "second_factor_off": _l(
        "Your second factor was turned off. If this wasn't you, change your password now."
    ),
    "pseudonym_changed": _l(
        "Your pseudonym was changed: sign in with the new one from now on. If this wasn't "
        "you, talk to a staff member you trust."
    ),
    "account_resumed": _l("Your account is active again. You can use everything as before."),
    "posting_stop_lifted": _l("You can post stories and reports again."),
    # Reset codes name nobody here: a pseudonym in a notice would outlive its account.
    "reset_code_used": _l(
        "A reset code was used to set a new password for your account, and any second "
        "factor was cleared. Your account page "
        "shows who made it and who approved it. If this wasn't you, please talk to someone "
        "on the staff you trust."
    ),
    "reset_code_used_admin": _l(
        "A reset code was used on an account. The audit log shows who made it and who approved it."
    ),
    "reset_code_by_admin": _l(
        "An admin made a reset code, which works at once. The audit log shows who made it and "
        "for whom."
    ),
    # The mentor pathway (accounts/mentoring.py, staff/pathway.py).
    "mentor_eligible": _l(
        "You completed a leadership program, so you may become a peer mentor if you would "
        "like to. There is no rush and no wrong answer: your account page is where you can "
        "say whether you are interested, and change your mind later."
    ),
    # Read only once signed in as the mentor: the second factor is set up and the guide was
    # shown by then (accounts/sessions.py), so the words say neither is still to come.
    "became_mentor": _l(
        "Welcome: an admin made you a peer mentor, as you said you would like. Mentors sign "
        "in with a second factor, and the details of this notice are the short page on how "
        "moderation works here, there whenever you want it."
    ),
}


def notify(
    account_id: int,
    kind: str,
    *,
    now: datetime,
    link: str | None = None,
    story_id: int | None = None,
    **params: object,
) -> Notice:
    """Leave a notice for an account; `params` (JSON values) fill its words when it is read
    (MESSAGES, or RENDERERS for the kinds put together from parts). ValueError
    for an unknown kind.

    `story_id`: the story a notice is about (every notice that names a story gives it):
    the notice is deleted with the story, however the story goes (ON DELETE CASCADE).
    """
    if kind not in MESSAGES and kind not in RENDERERS:
        raise ValueError(f"unknown notice kind {kind!r}")
    notice = Notice(
        account_id=account_id,
        kind=kind,
        params=params,
        link=link,
        story_id=story_id,
        created_at=now,
    )
    db.session.add(notice)
    return notice


def forget_other_versions(titles: Mapping[int, str]) -> int:
    """Delete the notices about each story (story id -> the title it keeps) that name
    another title: a version of the story that is gone (an edit declined or never sent,
    purged; an earlier title). Notices naming the kept title, or none, stay. Story
    notices name their story in `params["title"]`. Return how many went."""
    notices = db.session.execute(
        select(Notice.id, Notice.story_id, Notice.params).where(Notice.story_id.in_(titles))
    )
    gone = [
        notice_id
        for notice_id, story_id, params in notices
        if "title" in params and params["title"] != titles[story_id]
    ]
    if gone:
        db.session.execute(db.delete(Notice).where(Notice.id.in_(gone)))
    return len(gone)


def withdraw_notices(account_id: int, kind: str, link: str) -> int:
    """Delete the account's notices of this kind about this link, read or not (a decision
    taken back the same day: the member no longer sees it); return how many went."""
    result = db.session.execute(
        db.delete(Notice).where(
            Notice.account_id == account_id, Notice.kind == kind, Notice.link == link
        )
    )
    return result.rowcount


def forget_notices_about(account_id: int, links: Iterable[str]) -> int:
    """Delete the account's notices, of any kind, read or not, that link to one of `links`
    (paths such as "/programs/7"): what the account removed is no longer named in its
    notices. Return how many went."""
    result = db.session.execute(
        db.delete(Notice).where(Notice.account_id == account_id, Notice.link.in_(list(links)))
    )
    return result.rowcount


def message_for(notice: Notice) -> str:
    """Return the notice's text in the reader's language. A notice whose stored values no
    longer fit its words (a bug, a damaged row) says so calmly, and the rest of the page
    still shows: a member must always be able to read, dismiss and export their notices
    (security review)."""
    try:
        if notice.kind in RENDERERS:
            return RENDERERS[notice.kind](notice.params)
        return str(MESSAGES[notice.kind]) % {key: value for key, value in notice.params.items()}
    except (KeyError, TypeError, ValueError):
        current_app.logger.warning("notice %s: its stored values do not fit its words", notice.id)
        return str(UNREADABLE)


def notices_page(account_id: int, before_id: int | None) -> list[Notice]:
    """Return one page of the account's notices, newest first (one more to tell if there's more)."""
    query = (
        select(Notice)
        .where(Notice.account_id == account_id)
        .order_by(Notice.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before_id is not None:
        query = query.where(Notice.id < before_id)
    return list(db.session.scalars(query))


def own_notice(account_id: int, notice_id: int) -> Notice | None:
    """Return the account's notice with this id, or None (another's notice, or none at all:
    the caller answers 404 either way, never a hint that it exists)."""
    return db.session.scalar(
        select(Notice).where(Notice.id == notice_id, Notice.account_id == account_id)
    )


def mark_read(notice: Notice, *, now: datetime) -> None:
    """Mark one notice read (opened); one already read keeps when it was first read."""
    if notice.read_at is None:
        notice.read_at = now


def dismiss(notice: Notice) -> None:
    """Delete one notice at its owner's wish: gone at once, not at the next purge."""
    db.session.delete(notice)


def mark_all_read(account_id: int, *, now: datetime) -> int:
    """Mark every unread notice of the account as read; return how many."""
    result = db.session.execute(
        update(Notice)
        .where(Notice.account_id == account_id, Notice.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount


def export_notices(account) -> list[dict]:
    """Return the account's notices for the data export."""
    notices = db.session.scalars(
        select(Notice).where(Notice.account_id == account.id).order_by(Notice.id)
    )
    return [
        {
            "message": message_for(notice),
            "link": notice.link,
            "created_at": notice.created_at.isoformat(),
            "read_at": notice.read_at.isoformat() if notice.read_at else None,
        }
        for notice in notices
    ]


def delete_notices(account) -> None:
    """Delete the account's notices."""
    db.session.execute(db.delete(Notice).where(Notice.account_id == account.id))


def summarize(account) -> list[registry.Held]:
    """Say how many notices the account has and when they go."""
    return [
        registry.Held(
            str(_l("Notices")),
            registry.count_where(Notice, Notice.account_id == account.id),
            when_notices_go(),
        )
    ]


def when_notices_go() -> str:
    """Say when notices are deleted, from the settings in force (RETENTION_NOTICE_DAYS from
    sending, RETENTION_NOTICE_READ_DAYS from reading: both 90 by default, so the first is
    all there is to say), and that one can be dismissed at once."""
    days = rule_for("notice").days
    read = current_app.config["RETENTION_NOTICE_READ_DAYS"]
    if read < days:
        # Both periods are settings of at least a day or two: `days` > `read`.
        return ngettext(
            "%(num)d day after you read them, %(days)s days at most; you can dismiss one sooner",
            "%(num)d days after you read them, %(days)s days at most; you can dismiss one sooner",
            read,
            days=days,
        )
    return ngettext(
        "%(num)d day after they were sent; you can dismiss one sooner",
        "%(num)d days after they were sent; you can dismiss one sooner",
        days,
    )


def expired_notices(now: datetime, days: int):
    """Notices read long enough ago, or sent more than `days` ago."""
    read_days = current_app.config["RETENTION_NOTICE_READ_DAYS"]
    return or_(
        Notice.read_at < now - timedelta(days=read_days),
        Notice.created_at < now - timedelta(days=days),
    )


registry.register("notices", export=export_notices, delete=delete_notices, summary=summarize)
registry.register_purger(
    "notice",
    "notices",
    count=lambda now, days: registry.count_where(Notice, expired_notices(now, days)),
    batch=lambda now, days, size: len(
        registry.delete_batch(Notice, expired_notices(now, days), size)
    ),
)
