"""What no request gets past: odd ids in URLs, control characters, bad UTF-8, files.

Checked once, at the edge, before any view or the database sees the request, so each
is a calm 404 or 400 whatever the route and whichever database is behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, ValidationError

from advocacy.domain import ID_DIGITS_MAX, page_cursor

URLENCODED = "application/x-www-form-urlencoded"
# C0 controls (U+0000-U+001F) and DEL: PostgreSQL refuses NUL in text, and none of them is
# anything a person types. A form value may hold TAB, LF and CR (a textarea's lines).
CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x20), 0x7F]))
CONTROL_CHARACTERS_BUT_LINES = CONTROL_CHARACTERS - frozenset("\t\n\r")


class IdConverter(BaseConverter):
    """`<int:...>` in a route: an id as domain.page_cursor reads it (1 to 18 ASCII digits,
    at most domain.ID_MAX), else no match.

    Werkzeug's own int converter takes any Unicode decimal digit ("٣" is 3) and any
    length (past 2^31 - 1 PostgreSQL refuses the query): here both are a plain 404.
    """

    regex = rf"[0-9]{{1,{ID_DIGITS_MAX}}}"
    weight = 50  # Werkzeug's number converters' weight: routes keep their order

    def to_python(self, value: str) -> int:
        number = page_cursor(value)
        if number is None:
            raise ValidationError
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def holds_any(text: str, refused: frozenset[str]) -> bool:
    """Return whether text holds any of the refused characters."""
    return not refused.isdisjoint(text)


def strict_pairs(raw: bytes) -> list[tuple[str, str]]:
    """Decode a query string or urlencoded body; UnicodeDecodeError for bytes or
    percent-encodings that are not UTF-8 (Werkzeug would keep them, percent-encoded)."""
    return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")


def form_pairs() -> Iterable[tuple[str, str]]:
    """The request's form fields as sent (urlencoded: decoded strictly; multipart: as parsed)."""
    if request.mimetype == URLENCODED:
        # Cached, so the form is parsed from the same bytes afterwards.
        return strict_pairs(request.get_data(cache=True))
    return request.form.items(multi=True)


def refuse_unsafe_input() -> None:
    """Answer 400 to a request carrying files, control characters or text that isn't UTF-8.

    Query keys and values: no control character at all. Form keys: none either; form
    values: none but TAB, LF and CR. No route takes uploads, so any file is refused.
    """
    try:
        query = strict_pairs(request.query_string)
        form = list(form_pairs())
    except UnicodeDecodeError:
        abort(400)
    if request.files:
        abort(400)
    if any(holds_any(key + value, CONTROL_CHARACTERS) for key, value in query):
        abort(400)
    if any(
        holds_any(key, CONTROL_CHARACTERS) or holds_any(value, CONTROL_CHARACTERS_BUT_LINES)
        for key, value in form
    ):
        abort(400)


def register_edge(app: Flask) -> None:
    """Install the id converter (before any route is added) and the input check (first of
    the before-request hooks, ahead of the CSRF check, limits and session loading)."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unsafe_input)
