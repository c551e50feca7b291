"""Help library rules: what a reader may see, the library's filters and search, keeping a
resource (add, change, remove), its text, and where an outside link leads.

Services take `now`, flush but never commit, and raise HelpError subclasses whose message
a view can show as it is. Visitors (not signed in) see the resources marked for them;
every signed-in account sees them all (DESIGN §2: help pages are for everyone).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import Select, and_, delete, or_, select, true

from advocacy.domain import DomainError
from advocacy.extensions import db
from advocacy.help.models import WORD_MAX, Category, Resource, ResourceWord
from advocacy.sanitize import render_markdown

PAGE_SIZE = 10
TITLE_MAX = 120
SUMMARY_MAX = 300
BODY_MAX = 20_000
URL_MAX = 500
AREA_MAX = 80
# The search box: at most this many characters, and this many words once common ones
# ("the", "how") are set aside.
QUERY_MAX = 100
QUERY_WORDS_MAX = 8
# The area filter offers at most this many areas (one short query, whatever the library).
AREA_CHOICES_MAX = 100

# Above every character a word can hold: "hous" <= word < "hous" + TOP is "starts with".
TOP = "\U0010ffff"
# Letters and digits of any script: \w without the underscore.
WORD = re.compile(r"[^\W_]+")
# Words too common to narrow anything (English and Spanish, the library's main languages):
# every word searched for must be in the title or summary, so "how to find a lawyer"
# looks for "find" and "lawyer".
COMMON_WORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "get"),
        *("how", "i", "in", "is", "it", "me", "my", "of", "on", "or", "the", "to", "what"),
        *("when", "where", "who", "why", "with", "you", "your"),
        *("de", "del", "el", "en", "la", "las", "los", "mi", "para", "por", "que", "un"),
        *("una", "y"),
    }
)


class HelpError(DomainError):
    """A refused help library action."""


class ResourceNotFound(HelpError):
    """No such resource for this reader (it may exist, members only)."""

    message = _l("That resource isn't available.")


class ResourceInvalid(HelpError):
    """What was written can't be kept; `field` names the form field it belongs beside."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ResourceDetails:
    """What staff write (an explicit allowlist of fields)."""

    title: str
    summary: str
    category: str
    language: str
    area: str
    body: str = ""
    outside_url: str = ""
    is_public: bool = False


@dataclass(frozen=True)
class Filters:
    """What the library is narrowed to ("" or () for everything)."""

    category: str = ""
    language: str = ""
    area: str = ""
    words: tuple[str, ...] = ()


# Words


def words_of(text: str) -> list[str]:
    """The distinct words of a text as the search compares them, in order: NFKC, casefolded,
    runs of letters and digits (any script), each cut to WORD_MAX characters."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return list(dict.fromkeys(word[:WORD_MAX] for word in WORD.findall(folded)))


def search_words(query: str) -> tuple[str, ...]:
    """The words a search looks for: those of `query` but the common ones (all of them
    when the query holds only common words, so "who" still searches)."""
    words = words_of(query)
    return tuple(word for word in words if word not in COMMON_WORDS) or tuple(words)


# Reading


def may_see(signed_in: bool):
    """The condition for resources the reader may see."""
    return true() if signed_in else Resource.is_public.is_(True)


def narrowed(filters: Filters) -> list:
    """The conditions for the filters: each word must begin a word of the title or
    summary (one indexed range on help_words per word)."""
    conditions = [
        column == value
        for column, value in (
            (Resource.category, filters.category),
            (Resource.language, filters.language),
            (Resource.area, filters.area),
        )
        if value
    ]
    for word in filters.words:
        starting = select(ResourceWord.resource_id).where(
            ResourceWord.word >= word, ResourceWord.word < word + TOP
        )
        conditions.append(Resource.id.in_(starting))
    return conditions


def library_query(
    filters: Filters, *, signed_in: bool, before: tuple[datetime, int] | None = None
) -> Select:
    """The query of one page of resources, last changed first (keyset on updated_at, id):
    PAGE_SIZE + 1 of them, to tell whether there is more."""
    query = (
        select(Resource)
        .where(may_see(signed_in), *narrowed(filters))
        .order_by(Resource.updated_at.desc(), Resource.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before is not None:
        at, resource_id = before
        query = query.where(
            or_(
                Resource.updated_at < at,
                and_(Resource.updated_at == at, Resource.id < resource_id),
            )
        )
    return query


def library_page(
    filters: Filters, *, signed_in: bool, before: tuple[datetime, int] | None = None
) -> list[Resource]:
    """Return one page of resources (library_query): one query, whatever the filters."""
    return list(db.session.scalars(library_query(filters, signed_in=signed_in, before=before)))


def areas(*, signed_in: bool) -> list[str]:
    """Return the areas of the resources the reader may see, in order (at most
    AREA_CHOICES_MAX; one query)."""
    query = (
        select(Resource.area)
        .where(may_see(signed_in))
        .distinct()
        .order_by(Resource.area)
        .limit(AREA_CHOICES_MAX)
    )
    return list(db.session.scalars(query))


def readable(resource_id: int, *, signed_in: bool) -> Resource:
    """Return a resource the reader may see, or raise ResourceNotFound."""
    resource = db.session.scalar(
        select(Resource).where(Resource.id == resource_id, may_see(signed_in))
    )
    if resource is None:
        raise ResourceNotFound()
    return resource


def body_links(body: str) -> list[str]:
    """The addresses of the links in a resource's text, in order, as the page has them."""
    found: list[str] = []
    render_markdown(body, link=lambda href: found.append(href) or href)
    return found


def body_html(resource: Resource) -> str:
    """The resource's text as sanitized HTML, each link sent through the page that says it
    leaves the site (/help/<id>/leave?link=<n>, n counting from 1 in the text's order)."""
    numbers = count(1)
    return render_markdown(
        resource.body, link=lambda _href: f"/help/{resource.id}/leave?link={next(numbers)}"
    )


def leaving_to(resource: Resource, link: int | None) -> str | None:
    """Where an outside link of the resource leads: its outside link (link None) or the
    link-th link of its text; None when there is no such link."""
    if link is None:
        return resource.outside_url or None
    links = body_links(resource.body)
    return links[link - 1] if 1 <= link <= len(links) else None


# Keeping the library


# A site's name as a browser reads it: letters, digits, hyphens and dots (RFC 1123 §2.1),
# so a backslash (https://evil.example\\www.uscis.gov goes to evil.example) never passes.
SITE_NAME = re.compile(r"[a-z0-9.-]+")


def outside_url_problem(url: str):
    """Say what keeps `url` from being an outside link, or None when it can be one.

    An outside link is https (it is shown and followed as typed), at most URL_MAX
    characters, with no spaces, control or invisible formatting characters (bidi controls:
    what is shown must be what is followed), a site name in plain letters (an
    international one as its xn-- form, so look-alike letters can't pass for another
    site) with a dot, and no name or password before "@" (https://bank.example@other.example
    goes to other.example).
    """
    if len(url) > URL_MAX:
        return lazy_ngettext(
            "Please keep the address to %(max)d character or fewer.",
            "Please keep the address to %(max)d characters or fewer.",
            URL_MAX,
            max=URL_MAX,
        )
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        return _l("An address has no spaces or hidden characters in it. Please check it.")
    if not url.lower().startswith("https://"):
        return _l("Please give an address that starts with https://.")
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname or "", parts.port
    except ValueError:
        return _l("That doesn't look like a web address. Please copy it again.")
    if "@" in parts.netloc:
        return _l("Please give the address without a name or password in it (nothing before “@”).")
    if "." not in host.strip("."):
        return _l("Please give the whole address, like https://www.example.org/page.")
    if not SITE_NAME.fullmatch(host):
        return _l("Please give the site's name in plain letters, as its xn-- form.")
    return None


def checked(details: ResourceDetails) -> ResourceDetails:
    """Refuse what can't be kept (ResourceInvalid, naming the field); return the details
    with text trimmed. The form says most of this first; this is the rule."""
    clean = ResourceDetails(
        title=details.title.strip(),
        summary=details.summary.strip(),
        category=details.category,
        language=details.language.strip(),
        area=details.area.strip(),
        body=details.body.strip(),
        outside_url=details.outside_url.strip(),
        is_public=details.is_public,
    )
    bounds = (
        ("title", clean.title, TITLE_MAX),
        ("summary", clean.summary, SUMMARY_MAX),
        ("area", clean.area, AREA_MAX),
    )
    for field, text, most in bounds:
        if not text or len(text) > most:
            raise ResourceInvalid(
                lazy_ngettext(
                    "Please write 1 to %(max)d character.",
                    "Please write 1 to %(max)d characters.",
                    most,
                    max=most,
                ),
                field,
            )
    if clean.category not in {c.value for c in Category}:
        raise ResourceInvalid(_l("Please choose a topic from the list."), "category")
    if not clean.language or len(clean.language) > 10:
        raise ResourceInvalid(_l("Please choose a language from the list."), "language")
    if len(clean.body) > BODY_MAX:
        raise ResourceInvalid(
            lazy_ngettext(
                "Please keep the text to %(max)d character or fewer.",
                "Please keep the text to %(max)d characters or fewer.",
                BODY_MAX,
                max=BODY_MAX,
            ),
            "body",
        )
    if not clean.body and not clean.outside_url:
        raise ResourceInvalid(
            _l("Please write the text, or give an outside link (or both)."), "body"
        )
    if clean.outside_url and (problem := outside_url_problem(clean.outside_url)):
        raise ResourceInvalid(problem, "outside_url")
    for href in body_links(clean.body):
        if problem := outside_url_problem(href):
            raise ResourceInvalid(
                _l("A link in the text (%(url)s): %(problem)s", url=href, problem=problem),
                "body",
            )
    return clean


def get(resource_id: int) -> Resource:
    """Return any resource (for staff), or raise ResourceNotFound."""
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        raise ResourceNotFound()
    return resource


def index_words(resource: Resource) -> None:
    """Write the search's words of the resource's title and summary anew."""
    db.session.execute(delete(ResourceWord).where(ResourceWord.resource_id == resource.id))
    db.session.add_all(
        ResourceWord(word=word, resource_id=resource.id)
        for word in words_of(f"{resource.title} {resource.summary}")
    )
    db.session.flush()


def fill(resource: Resource, details: ResourceDetails, *, now: datetime) -> None:
    """Copy checked details onto the resource, which staff have now checked (updated_at)."""
    resource.title, resource.summary = details.title, details.summary
    resource.body, resource.outside_url = details.body, details.outside_url
    resource.category, resource.language = details.category, details.language
    resource.area, resource.is_public = details.area, details.is_public
    resource.updated_at = now


def create(details: ResourceDetails, *, now: datetime) -> Resource:
    """Add a resource to the library."""
    clean = checked(details)
    resource = Resource(created_at=now)
    fill(resource, clean, now=now)
    db.session.add(resource)
    db.session.flush()
    index_words(resource)
    return resource


def update(resource_id: int, details: ResourceDetails, *, now: datetime) -> Resource:
    """Change a resource; saving it, even unchanged, says staff checked it `now`."""
    resource = get(resource_id)
    fill(resource, checked(details), now=now)
    db.session.flush()
    index_words(resource)
    return resource


def remove(resource_id: int) -> Resource:
    """Delete a resource and its search words."""
    resource = get(resource_id)
    db.session.execute(delete(ResourceWord).where(ResourceWord.resource_id == resource_id))
    db.session.delete(resource)
    db.session.flush()
    return resource
