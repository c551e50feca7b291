"""Every field staff and admins fill in is marked the way the rest of the site marks it
(issue 13, a newcomer's try: "the past-meeting form does not mark Where it was as
required"; checked as a kind, on every page).

The site's way, read off its member pages (the account's "Time zone (optional)", a
story's "Other content warnings (optional)", a program decision's "Note to the member
(optional)"): a field the form needs carries the `required` attribute, which assistive
technology announces, and says nothing more; a field that may be left empty says so in
its label, "(optional)", or its hint ("Optional…", "Leave empty for…"); a field needed
only sometimes says when ("needed when…", "When the event repeats: …"). So a field with
neither is a field a person cannot tell: this walks every page of the route table as
staff and as an admin and reads each text, number, date and time field with its label
and hint. A field marked `required` never says it is optional.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.access_table import ACCESS
from tests.support.matrix import NOT_READ

pytestmark = pytest.mark.sqlite_only  # the HTML does not depend on the database

# Fields a person types into; search boxes filter a list and are never needed.
TYPED = {"text", "textarea", "number", "date", "time", "month", "password", "email", "url"}
# How a label or hint says a field may be left empty, or when it is needed.
SAYS_OPTIONAL = re.compile(r"\(optional\)|^optional\b|leave (it )?empty", re.IGNORECASE)
SAYS_WHEN = re.compile(r"\bneeded (when|unless|for|to)\b|^when\b", re.IGNORECASE)


class Fields(HTMLParser):
    """Each typed field of a page: its name, whether it is `required`, its label's words
    and its hint's (the texts its aria-describedby names)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str, bool, str]] = []  # id, name, required, describedby
        self.texts: dict[tuple[str, str], str] = {}  # ("label", for) or ("id", id) -> words
        self.open: list[tuple[str, tuple[str, str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        kind = "textarea" if tag == "textarea" else a.get("type", "text")
        if tag in ("input", "textarea") and kind in TYPED and "name" in a:
            self.fields.append(
                (a.get("id", ""), a["name"], "required" in a, a.get("aria-describedby", ""))
            )
        if tag == "label" and a.get("for"):
            self.open.append((tag, ("label", a["for"]), []))
        elif tag in ("span", "p") and a.get("id"):
            self.open.append((tag, ("id", a["id"]), []))

    def handle_data(self, data: str) -> None:
        for _tag, _key, words in self.open:
            words.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            _tag, key, words = self.open.pop()
            self.texts[key] = " ".join("".join(words).split())

    def read(self) -> list[tuple[str, bool, str, str]]:
        """(name, required, label, hint) for each typed field."""
        return [
            (
                name,
                required,
                self.texts.get(("label", field_id), ""),
                " ".join(self.texts.get(("id", hint), "") for hint in described.split()),
            )
            for field_id, name, required, described in self.fields
        ]


def fields_on(page: str) -> list[tuple[str, bool, str, str]]:
    reader = Fields()
    reader.feed(page)
    return reader.read()


def unmarked(label: str, hint: str, required: bool) -> str | None:
    """Why a field is not marked the site's way, or None when it is."""
    optional = SAYS_OPTIONAL.search(label) or SAYS_OPTIONAL.search(hint)
    if required:
        return "marked required, yet says it is optional" if optional else None
    if optional or SAYS_WHEN.search(label) or SAYS_WHEN.search(hint):
        return None
    return "neither required nor said to be optional, nor when it is needed"


def test_a_field_the_form_needs_is_required_and_any_other_says_it_is_optional(matrix):
    problems, seen = [], 0
    for role in ("staff", "admin"):
        client = matrix.client_as(role)
        for endpoint, route in ACCESS.items():
            if "GET" not in route.methods or endpoint in NOT_READ:
                continue
            response = client.get(matrix.path(route))
            if response.mimetype != "text/html":
                continue
            for name, required, label, hint in fields_on(response.get_data(as_text=True)):
                seen += 1
                why = unmarked(label, hint, required)
                if why:
                    problems.append(f"{role} {endpoint} {name} ({label!r}, {hint[:50]!r}): {why}")
    assert seen > 60  # every staff form, not a handful
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_past_meeting_form_marks_where_it_was_as_required(matrix):
    # The newcomer's case: every field of the form is needed, "Where it was" too.
    client = matrix.client_as("staff")
    page = client.get(f"/programs/{matrix.ids['program_id']}/meetings/past")
    assert page.status_code == 200
    fields = {name: (required, label) for name, required, label, _ in fields_on(page.text)}
    assert fields["area"] == (True, "Where it was (public area)")
    assert all(required for required, _label in fields.values()), fields


@pytest.mark.parametrize(
    ("label", "hint", "required", "said"),
    [
        ("Title", "", True, None),
        ("Reason (optional)", "", False, None),
        ("Outside link", "Optional. An address on another website.", False, None),
        ("Places", "Leave empty for no limit.", False, None),
        ("Note (needed when declining)", "", False, None),
        ("Repeats until", "When the event repeats: the last day it can meet.", False, None),
        ("Description", "", False, "neither required nor said to be optional, nor when"),
        ("Description", "For example a short summary.", False, "neither required nor said"),
        ("Title (optional)", "", True, "marked required, yet says it is optional"),
    ],
)
def test_the_reading_of_a_label_and_hint(label, hint, required, said):
    why = unmarked(label, hint, required)
    assert (why is None) if said is None else why.startswith(said)
