"""What no request gets past: odd ids in URLs, control characters, bad UTF-8, a body that
is not a urlencoded form (files, JSON), unreadable Referer or Origin headers.

Checked once, at the edge, before any view or the database sees the request, so each
is a calm 404 or 400 whatever the route and whichever database is behind it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, ValidationError

from advocacy.domain import ID_DIGITS_MAX, page_cursor

# The only body a page sends. Any other is refused whole rather than half-checked: Werkzeug
# decodes multipart parts leniently (bad UTF-8 turns into U+FFFD, a part may name another
# charset), and Flask-WTF reads a JSON body as the form, past the checks below.
URLENCODED = "application/x-www-form-urlencoded"
# C0 controls (U+0000-U+001F), DEL and the C1 controls (U+0080-U+009F): PostgreSQL refuses
# NUL in text, and none of them is anything a person types. A form value may hold TAB, LF
# and CR (a textarea's lines).
CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
CONTROL_CHARACTERS_BUT_LINES = CONTROL_CHARACTERS - frozenset("\t\n\r")
QUICK_EXIT = "accounts.quick_exit"


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


def refuse_unsafe_input() -> None:
    """Answer 400 to a body that is not a urlencoded form, control characters, text that
    isn't UTF-8, or a Referer or Origin that is no URL (Python's urlsplit refuses "http://[").

    Query keys and values: no control character at all. Form keys: none either; form
    values: none but TAB, LF and CR. A body of any other type (multipart, JSON, plain text,
    none named) is refused whatever it holds; a request with no body passes.
    Quick exit is never refused: leaving must work whatever comes with the request (it
    reads no input, and copes with an unreadable Referer itself).
    """
    if request.endpoint == QUICK_EXIT:
        return
    try:
        query = strict_pairs(request.query_string)
        # Cached, so the form is parsed from the same bytes afterwards.
        body = request.get_data(cache=True)
        if body and request.mimetype != URLENCODED:
            abort(400)
        form = strict_pairs(body)
        for header in ("Referer", "Origin"):
            urlsplit(request.headers.get(header, ""))
    except ValueError:  # UnicodeDecodeError included
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
