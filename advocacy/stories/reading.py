"""Reading stories: what a reader (signed in or not) may see, the reading list, one story,
and the warnings each member always wants hidden.

Services take `now` and raise StoryNotFound for anything a reader may not see (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, case, null, or_, select

from advocacy import clock
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.sanitize import SANITIZER_VERSION, render_markdown
from advocacy.stories.models import Audience, Story, StoryPreference
from advocacy.stories.services import StoryNotFound, check_warnings

PAGE_SIZE = 20
# What the reading list shows of a story: title, byline, day, audience and warnings.
LISTED_COLUMNS = (
    Story.published_title,
    Story.published_at,
    Story.published_warnings,
    Story.published_warning_note,
    Story.audience,
)


# The reader's day in statements built once: bound as `today` when one runs.
TODAY = bindparam("today", type_=Story.unpublish_on.type)


def readable(signed_in: bool, today: date | ColumnElement[date]):
    """The condition for a story any reader (signed in or not) may see on `today` (a day,
    or a bound parameter for it)."""
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
    """A story to show, with the byline to show. `story`: the story itself (one story's
    page), or in the reading list a row of its id and LISTED_COLUMNS, read by the same
    names (`story.published_title`)."""

    story: Story | Row
    byline: str | None  # None: "Anonymous"


def published_page(
    *, signed_in: bool, now: datetime, before: tuple[datetime, int] | None = None
) -> list[Listed]:
    """Return one page of readable stories, newest first (PAGE_SIZE + 1 to tell if there's more).

    One query whatever the page holds: the byline comes from the same join. Only the
    columns the list shows are read (LISTED_COLUMNS; the text and the working copy stay
    in the database), as plain rows: making ORM objects of them cost about twice the
    query (issue 17).
    """
    values = {"today": clock.local_date(now)}
    if before is not None:
        values["at"], values["story_id"] = before
    statement = published_query(signed_in, paged=before is not None, rows=PAGE_SIZE + 1)
    return [Listed(row, row.byline) for row in db.session.execute(statement, values)]


@cache
def published_query(signed_in: bool, *, paged: bool, rows: int) -> Select:
    """published_page's statement of at most `rows` rows, built once per shape (building
    it cost about as much as running it): the day bound as `today` and, when `paged`, the
    last story shown as `at` (its published_at) and `story_id`."""
    # The byline is decided in the query: an anonymous story's row never holds its
    # author's pseudonym, nor who the author is.
    byline = case((Story.byline_is_anonymous, null()), else_=Account.pseudonym)
    query = (
        select(Story.id, *LISTED_COLUMNS, byline.label("byline"))
        .outerjoin(Account, Story.author_id == Account.id)
        .where(readable(signed_in, TODAY))
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(rows)
    )
    if paged:
        at = bindparam("at", type_=Story.published_at.type)
        story_id = bindparam("story_id", type_=Story.id.type)
        query = query.where(
            or_(Story.published_at < at, and_(Story.published_at == at, Story.id < story_id))
        )
    return query


def readable_story(story_id: int, *, signed_in: bool, now: datetime) -> Listed:
    """Return a story the reader may see, or raise StoryNotFound (404 for everything else)."""
    values = {"story_id": story_id, "today": clock.local_date(now)}
    row = db.session.execute(readable_story_query(signed_in), values).first()
    if row is None:
        raise StoryNotFound()
    story, pseudonym = row
    return Listed(story, None if story.byline_is_anonymous else pseudonym)


@cache
def readable_story_query(signed_in: bool) -> Select:
    """readable_story's statement, built once per kind of reader (as published_query): the
    story bound as `story_id`, the reader's day as `today`."""
    return (
        select(Story, Account.pseudonym)
        .outerjoin(Account)  # the author (Story has one key to accounts)
        .where(Story.id == bindparam("story_id", type_=Story.id.type), readable(signed_in, TODAY))
    )


def published_html(story: Story) -> str:
    """Return the published version's HTML, rendered again if the sanitizer has changed."""
    if story.html_version != SANITIZER_VERSION or story.published_html is None:
        return render_markdown(story.published_body or "")
    return story.published_html


# Warnings each member always wants hidden


def hidden_warnings(account: Account | None) -> set[str]:
    """Return the warnings the account always hides (none for visitors)."""
    if account is None:
        return set()
    hidden = db.session.scalar(hidden_warnings_query(), {"account_id": account.id})
    return set(hidden or ())


@cache
def hidden_warnings_query() -> Select:
    """hidden_warnings' statement, built once: the list alone (no row to keep in the
    session), for the account bound as `account_id`."""
    return select(StoryPreference.hidden_warnings).where(
        StoryPreference.account_id == bindparam("account_id")
    )


def set_hidden_warnings(account: Account, warnings: list[str]) -> None:
    """Save which warnings to always hide."""
    check_warnings(warnings)
    preference = db.session.get(StoryPreference, account.id)
    if preference is None:
        preference = StoryPreference(account_id=account.id)
        db.session.add(preference)
    preference.hidden_warnings = sorted(set(warnings))
    db.session.flush()
