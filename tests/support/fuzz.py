"""Hostile values and the requests that carry them, for tests/test_fuzz.py (issue 12).

A value is text, but may hold what no page sends: digits of other scripts, numbers past
every column, NUL and other controls, bidi overrides, lone surrogates (which become bytes
that are not UTF-8 once percent-encoded), very long runs. A request puts such values in
the path's ids, the query string (repeated names included) and the form, and sends the
form as a page would (urlencoded) or as no page does (JSON, plain text, multipart with a
file in place of a field, no content type).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from itertools import count
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

# Values a clumsy or hostile hand types, named for what each one tries.
SPECIMENS = [
    "",
    " ",
    "0",
    "-1",
    "²",  # str.isdigit() is true for it
    "٣",  # Arabic-Indic three: int() reads it
    "１２",  # fullwidth digits
    "1_000",  # int() reads it
    "2147483648",  # one past PostgreSQL's integer
    "9223372036854775808",  # one past bigint
    "9" * 5000,  # past int()'s 4300-digit limit
    "1e999",
    "nan",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59-12:00_1",
    "2026-02-30",
    "25:61",
    "a\x00b",
    "\x1b[31m",
    "\u202eexe.txt",
    "\ud800",  # a lone surrogate: not UTF-8 once encoded
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "https://evil.example/",
    "//evil.example",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(SPECIMENS),
    st.sampled_from(SPECIMENS),  # twice as likely as each kind below
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=8),
    st.integers(-(2**80), 2**80).map(str),
    st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Co"]), max_size=4),
    st.text(max_size=40),
    st.integers(2_000, 60_000).map(lambda n: "x" * n),
)
# By a field's kind, values near its edges come first: the ends of the calendar and of the
# day, numbers past every column.
BY_KIND = {
    "date": st.one_of(
        st.sampled_from(["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01", "2999-12-31"]),
        st.dates().map(date.isoformat),
        HOSTILE_TEXT,
    ),
    "time": st.one_of(
        st.sampled_from(["00:00", "23:59", "24:00", "12:60", "1:5"]),
        st.times().map(lambda t: t.isoformat(timespec="minutes")),
        HOSTILE_TEXT,
    ),
    "number": st.one_of(
        st.sampled_from(["0", "-1", "2147483648", "٣", "1_0", "1e3"]),
        st.integers(-(2**70), 2**70).map(str),
        HOSTILE_TEXT,
    ),
}
# Each field alone at the edges of its kind (the rest of the form filled in plainly).
EDGES = {
    "date": ["9999-12-31", "0001-01-01", "2026-02-30", "٢٠٢٦-١١-٣٠", ""],
    "time": ["24:00", "23:59", "٠٠:٠٠", ""],
    "number": ["٣", "1_0", "2147483648", "-1", "9" * 5000, ""],
}
TEXT_EDGES = ["", " ", "²", "\u202e", "9" * 5000, "x" * 70_000]
# Names the views read from query strings, and one nobody reads.
QUERY_NAMES = ["before", "after", "week", "mode", "language", "format", "next", "q", "role", "zzz"]
BODY_KINDS = ["form", "json", "text", "multipart-file", "no-type"]


def encoded(text: str) -> str:
    """Percent-encode text's UTF-8 bytes; a lone surrogate gives bytes that are not UTF-8."""
    return quote_from_bytes(raw(text), safe="")


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{encoded(key)}={encoded(value)}" for key, value in pairs).encode("ascii")


@dataclass
class Sent:
    """One request as sent: the path with its query string, the body and its type."""

    path: str
    body: bytes = b""
    content_type: str | None = None

    def describe(self) -> str:
        return f"{self.path[:300]} [{self.content_type}] {self.body[:300]!r}"


@dataclass
class Field:
    """One field a form sends: its name, its value and its kind (an input's type, or
    "textarea", "select", "button")."""

    name: str
    value: str
    kind: str


@dataclass
class FormSeen:
    """One POST form a page showed: where it goes and the fields it would send."""

    action: str
    fields: list[Field] = field(default_factory=list)


class FormReader(HTMLParser):
    """Read every <form method="post"> of a page with the values a browser would send:
    inputs (checked boxes only), textareas and each select's chosen (or first) option."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[FormSeen] = []
        self.open: FormSeen | None = None  # the POST form being read
        self.textarea: Field | None = None
        self.select: Field | None = None
        self.first_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            is_post = a.get("method", "get").lower() == "post"
            self.open = FormSeen(a.get("action", "")) if is_post else None
            self.forms += [self.open] if self.open else []
        elif tag == "option" and self.select is not None:
            if "selected" in a or self.first_option:  # the chosen option, else the first
                self.select.value, self.first_option = a.get("value", ""), False
        elif self.open and "name" in a:
            self.read_field(self.open.fields, tag, a)

    def read_field(self, fields: list[Field], tag: str, a: dict[str, str]) -> None:
        kind = a.get("type", "text")
        if tag == "input" and kind not in {"submit", "button", "image", "reset"}:
            if kind not in {"checkbox", "radio"} or "checked" in a:
                fields.append(Field(a["name"], a.get("value", ""), kind))
        elif tag == "button" and a.get("value") and a["name"] not in {f.name for f in fields}:
            fields.append(Field(a["name"], a["value"], "button"))  # the default (first) one
        elif tag in {"textarea", "select"}:
            fields.append(Field(a["name"], "", tag))
            self.textarea = fields[-1] if tag == "textarea" else None
            self.select, self.first_option = (
                (fields[-1], True) if tag == "select" else (None, False)
            )

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.open = None
        elif tag == "textarea" and self.textarea is not None:
            # HTML drops the line break that follows <textarea> (WHATWG HTML §13.2.6.4.7).
            self.textarea.value = self.textarea.value.removeprefix("\n").removeprefix("\r\n")
            self.textarea = None
        elif tag == "select":
            self.select = None


def forms_on(page: str) -> list[FormSeen]:
    reader = FormReader()
    reader.feed(page)
    return reader.forms


def filled_in(fields: list[Field], today: date) -> list[Field]:
    """The fields as a person would send them: each empty one filled plainly by its kind
    (dates in order from `today` on, times in order from 18:00, numbers 5, text a word), so
    that one hostile value among them gets past the form's other checks."""
    dates = (today + timedelta(days=10 * n) for n in count(1))
    times = (f"{hour}:00" for hour in count(18))
    plain = {"date": lambda: next(dates).isoformat(), "time": lambda: next(times)}
    plain |= {"number": lambda: "5", "textarea": lambda: "Plain words, nothing more."}
    return [
        f if f.value else Field(f.name, plain.get(f.kind, lambda: "Plain")(), f.kind)
        for f in fields
    ]


@dataclass
class Drawn:
    """One drawn request: its path (query string included) and form pairs (None: no body)."""

    path: str
    pairs: list[tuple[str, str]] | None

    def requests(self) -> list[Sent]:
        """The request as sent: with no body, or its form in every one of BODY_KINDS."""
        if self.pairs is None:
            return [Sent(self.path)]
        return [sent_as(kind, self.path, self.pairs) for kind in BODY_KINDS]


def at_the_edges(fields: list[Field]) -> Iterator[list[tuple[str, str]]]:
    """Yield the form once per field and edge value of its kind (EDGES, else TEXT_EDGES),
    with that one field changed."""
    for changed in fields:
        for value in EDGES.get(changed.kind, TEXT_EDGES):
            yield [(f.name, value if f is changed else f.value) for f in fields]


@st.composite
def hostile_request(draw, path: str, ids: dict[str, int], form: list[Field] | None) -> Drawn:
    """Draw one request to `path` (a route's example path whose ids are `ids`'s values):
    a hostile id or not, a query string, and (unless form is None: no body) the form's
    fields with every value, or one to three, replaced by values hostile to their kind."""
    for value in ids.values():
        segment = f"/{value}"
        if segment in path and draw(st.booleans()):
            path = path.replace(segment, "/" + encoded(draw(HOSTILE_TEXT)), 1)
    query = draw(st.lists(st.tuples(st.sampled_from(QUERY_NAMES), HOSTILE_TEXT), max_size=4))
    if query:
        path = f"{path}?{urlencoded(query).decode('ascii')}"
    if form is None:
        return Drawn(path, None)
    fields = form or [Field("title", "", "text"), Field("password", "", "password")]
    if draw(st.booleans()):
        chosen = fields
    else:
        chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3))
    hostile = [(f.name, draw(BY_KIND.get(f.kind, HOSTILE_TEXT))) for f in chosen]
    names = {name for name, _ in hostile}
    return Drawn(path, [(f.name, f.value) for f in fields if f.name not in names] + hostile)


def sent_as(kind: str, path: str, pairs: list[tuple[str, str]]) -> Sent:
    """Put pairs in a body of the given kind (one of BODY_KINDS)."""
    if kind == "form":
        return Sent(path, urlencoded(pairs), "application/x-www-form-urlencoded")
    if kind == "json":  # json.dumps writes a lone surrogate as its \\u escape
        return Sent(path, json.dumps(dict(pairs)).encode("ascii"), "application/json")
    if kind == "text":
        return Sent(path, urlencoded(pairs), "text/plain")
    if kind == "no-type":
        return Sent(path, urlencoded(pairs), None)
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="x.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n%s\r\n" % (BOUNDARY, raw(name), raw(value))
        for name, value in pairs
    ]
    body = b"".join(parts) + b"--%s--\r\n" % BOUNDARY
    return Sent(path, body, f"multipart/form-data; boundary={BOUNDARY.decode()}")


BOUNDARY = b"fuzzboundary"


def raw(text: str) -> bytes:
    """text's UTF-8 bytes, a lone surrogate kept as the bytes that are not UTF-8."""
    return text.encode("utf-8", "surrogatepass")
