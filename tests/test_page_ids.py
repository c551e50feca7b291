"""Every page of every role: ids unique, and every reference to an id lands in its own form
(issue 18; WCAG 1.3.1, 4.1.2; HTML: an id is unique in its document).

A `<label for>` that names another form's field, or nothing, gives the field no accessible
name and sends a tap on the label elsewhere; aria-describedby and aria-labelledby are read
the same way, and an error summary's `href="#…"` must reach the field it names. Pages are
read with CSRF on, as people get them (each form then carries a hidden token), and again as
each empty form's answer (the form with its errors), with CSRF off so the fields answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from tests.access_table import ACCESS, ROLES

# Quick exit ends the session; static files are not pages.
NOT_PAGES = {"accounts.quick_exit", "static"}
# Attributes that name other elements by id (HTML, WAI-ARIA 1.2).
ID_LISTS = ("aria-describedby", "aria-labelledby")


@dataclass
class Reference:
    """One attribute naming an id: which element, which attribute, inside which form."""

    attribute: str
    target: str
    form: int | None


@dataclass
class Ids(HTMLParser):
    """The ids of a page, the form each lies in (its index, or None), and every reference."""

    ids: list[str] = field(default_factory=list)
    form_of: dict[str, int | None] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    forms: int = 0
    current: int | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.current = self.forms
            self.forms += 1
        if "id" in attributes:
            self.ids.append(attributes["id"])
            self.form_of.setdefault(attributes["id"], self.current)
        if tag == "label" and "for" in attributes:
            self.references.append(Reference("label for", attributes["for"], self.current))
        for name in ID_LISTS:
            for target in (attributes.get(name) or "").split():
                self.references.append(Reference(name, target, self.current))
        href = attributes.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.references.append(Reference("href", href[1:], self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def faults(page: str) -> list[str]:
    """What is wrong with a page's ids, in words (empty when nothing is)."""
    parsed = Ids()
    parsed.feed(page)
    found = [f"id {i!r} appears {n} times" for i, n in Counter(parsed.ids).items() if n > 1]
    for ref in parsed.references:
        if ref.target not in parsed.form_of:
            found.append(f"{ref.attribute}={ref.target!r} names no element")
            continue
        target_form = parsed.form_of[ref.target]
        if ref.attribute == "href" or target_form in (None, ref.form):
            continue  # a link may lead anywhere; elements outside forms are shared
        if ref.form is not None:
            found.append(f"{ref.attribute}={ref.target!r} names another form's element")
        elif ref.attribute == "label for":
            found.append(f"label for={ref.target!r} outside every form names a form's field")
    return found


def test_the_checker_finds_each_fault():
    """The rule written by hand: each kind of fault is found, and a sound page passes."""
    sound = (
        '<form><label for="a-password">P</label><input id="a-password" aria-describedby="a-h">'
        '<span id="a-h">hint</span></form><a href="#main">skip</a><main id="main"></main>'
    )
    assert faults(sound) == []
    twice = '<form><input id="password"></form><form><input id="password"></form>'
    assert faults(twice) == ["id 'password' appears 2 times"]
    assert faults('<form><label for="nowhere">P</label></form>') == [
        "label for='nowhere' names no element"
    ]
    crossed = '<form><input id="x"></form><form><label for="x">P</label></form>'
    assert faults(crossed) == ["label for='x' names another form's element"]
    described = '<form><input id="x"></form><form><input aria-describedby="x"></form>'
    assert faults(described) == ["aria-describedby='x' names another form's element"]
    assert faults('<a href="#missing">Name</a>') == ["href='missing' names no element"]
    outside = '<label for="x">P</label><form><input id="x"></form>'
    assert faults(outside) == ["label for='x' outside every form names a form's field"]


def page_answers(matrix, role: str, *, csrf: bool, method: str, language: str):
    """(path, page) for every page answer a role gets, GET or an empty POST's form again,
    in the language the browser asks for (the matrix's accounts choose none)."""
    client = matrix.client_as(role)  # signs in with CSRF off, as the matrix is set up
    matrix.app.config["WTF_CSRF_ENABLED"] = csrf
    try:
        for endpoint, route in ACCESS.items():
            if method not in route.methods or endpoint in NOT_PAGES:
                continue
            for before_method, before_path in route.before:
                client.open(before_path.format(**matrix.ids), method=before_method)
            path = matrix.path(route)
            response = client.open(
                path,
                method=method,
                data={} if method == "POST" else None,
                headers={"Accept-Language": language},
            )
            if response.mimetype == "text/html":
                yield f"{method} {path}", response.get_data(as_text=True)
    finally:
        matrix.app.config["WTF_CSRF_ENABLED"] = False


# GET: every page as people get it, CSRF on. POST: every empty form's answer, with its
# errors (CSRF off, so the fields answer rather than the token); (method, CSRF, at least).
READINGS = {"pages": ("GET", True, 10), "forms-with-errors": ("POST", False, 3)}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_unique_ids_and_references_that_land(matrix, role, reading, language):
    method, csrf, at_least = READINGS[reading]
    problems = {}
    seen = 0
    for path, page in page_answers(matrix, role, csrf=csrf, method=method, language=language):
        if "<html lang=" in page and "Redirecting..." not in page:  # Werkzeug's redirects
            assert f'<html lang="{language}"' in page, path
            seen += 1
        if found := faults(page):
            problems[path] = found
    assert seen >= at_least
    assert problems == {}, "\n".join(f"{p}: {f}" for p, f in problems.items())
