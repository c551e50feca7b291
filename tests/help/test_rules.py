"""The help library's rules, one function at a time: what an outside link may be, how a
title becomes search words, what the search looks for, and what staff may keep.

Expected values are written out from the rules (advocacy/help/services.py docstrings and
the issue: https only, a site name in plain letters, no name before "@"; words are NFKC,
casefolded runs of letters and digits of at most 40 characters), never read from the code.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from advocacy.help import services
from advocacy.help.services import ResourceDetails, ResourceInvalid
from advocacy.sanitize import render_markdown
from tests.stories.xss_payloads import PAYLOADS
from tests.support.story_html import assert_safe

ACCEPTED = [
    "https://www.uscis.gov/",
    "https://www.uscis.gov/humanitarian/victims-of-human-trafficking-t-nonimmigrant-status",
    "HTTPS://Example.org/Path?x=1&y=2#part",
    "https://example.org:8443/",
    "https://xn--bcher-kva.example/",  # bücher.example as the browser sends it
    "https://example.org/caf%C3%A9",
    "https://example.org./",
    "https://example.org/" + "a" * 480,  # 500 characters in all
]

REFUSED = {
    "http://example.org/": "starts with https://",
    "ftp://example.org/": "starts with https://",
    "javascript:alert(1)": "starts with https://",
    "//example.org/": "starts with https://",
    "/help": "starts with https://",
    "example.org": "starts with https://",
    " https://example.org/": "no spaces",
    "https://example.org/a b": "no spaces",
    "https://example.org/\tx": "no spaces",
    "https://example.org/\u0000": "no spaces",
    "https://example.org/\u0085": "no spaces",
    "https://": "the whole address",
    "https://localhost/": "the whole address",
    "https://./": "the whole address",
    "https://bank.example@evil.example/": "nothing before “@”",
    "https://user:secret@example.org/": "nothing before “@”",
    "https://exаmple.org/": "plain letters",  # a Cyrillic а
    # Browsers read a backslash as a slash: this goes to evil.example.
    "https://evil.example\\www.uscis.gov/": "plain letters",
    "https://evil_site.example/": "plain letters",
    # A right-to-left override shows the address reversed from what is followed.
    "https://example.org/\u202egro.live": "hidden characters",
    "https://exam\u200bple.org/": "hidden characters",  # a zero-width space
    "https://bücher.example/": "plain letters",
    "https://[::1/": "doesn't look like a web address",
    "https://example.org:99999/": "doesn't look like a web address",
    "https://example.org/" + "a" * 481: "500 characters or fewer",
}


@pytest.mark.parametrize("url", ACCEPTED)
def test_an_https_address_of_a_named_site_can_be_an_outside_link(in_request, url):
    assert services.outside_url_problem(url) is None


@pytest.mark.parametrize(("url", "said"), list(REFUSED.items()), ids=list(REFUSED.values()))
def test_anything_else_is_refused_saying_why(in_request, url, said):
    problem = services.outside_url_problem(url)
    assert problem is not None
    assert said in str(problem)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("T visa basics", ["t", "visa", "basics"]),
        ("Housing, housing: HOUSING!", ["housing"]),
        ("Conceptos básicos de la visa T", ["conceptos", "básicos", "de", "la", "visa", "t"]),
        ("ｖｉｓａ", ["visa"]),  # full-width letters (NFKC)
        ("Straße", ["strasse"]),  # casefolded, not just lower-cased
        ("co-op snake_case 5-4-3-2-1", ["co", "op", "snake", "case", "5", "4", "3", "2", "1"]),
        ("Помощь с жильём", ["помощь", "с", "жильём"]),
        ("x" * 45, ["x" * 40]),
        ("", []),
    ],
)
def test_a_text_becomes_its_distinct_folded_words(text, words):
    assert services.words_of(text) == words


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("how to find a lawyer", ("find", "lawyer")),
        ("visa T", ("visa", "t")),
        ("ayuda para la vivienda", ("ayuda", "vivienda")),
        # Only common words: they are what is searched.
        ("who", ("who",)),
        ("   ", ()),
    ],
)
def test_a_search_looks_for_every_word_but_the_common_ones(query, words):
    assert services.search_words(query) == words


def details(**changes) -> ResourceDetails:
    fields = {
        "title": "T visa basics",
        "summary": "Who can apply.",
        "category": "legal",
        "language": "en",
        "area": "Nationwide",
        "body": "See a lawyer first.",
        **changes,
    }
    return ResourceDetails(**fields)


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"title": "  "}, "title", "1 to 120 characters"),
        ({"title": "x" * 121}, "title", "1 to 120 characters"),
        ({"summary": ""}, "summary", "1 to 300 characters"),
        ({"summary": "x" * 301}, "summary", "1 to 300 characters"),
        ({"area": "x" * 81}, "area", "1 to 80 characters"),
        ({"category": "immigration"}, "category", "topic from the list"),
        ({"language": ""}, "language", "language from the list"),
        ({"body": "x" * 20_001}, "body", "20000 characters or fewer"),
        ({"body": " ", "outside_url": ""}, "body", "or give an outside link"),
        ({"outside_url": "http://example.org/"}, "outside_url", "starts with https://"),
        ({"body": "See [the form](http://example.org/i-914)."}, "body", "http://example.org/i-914"),
        ({"body": "Write to [us](mailto:help@example.org)."}, "body", "starts with https://"),
        ({"body": "[x](https://a@evil.example/)"}, "body", "nothing before “@”"),
    ],
)
def test_what_cannot_be_kept_is_refused_beside_its_field(in_request, changes, field, said):
    with pytest.raises(ResourceInvalid) as refused:
        services.checked(details(**changes))
    assert refused.value.field == field
    assert said in str(refused.value.message)


def test_a_link_alone_or_text_alone_is_a_resource_and_text_is_trimmed(in_request):
    alone = services.checked(details(body="", outside_url=" https://www.uscis.gov/ "))
    assert alone.outside_url == "https://www.uscis.gov/"
    trimmed = services.checked(details(title="  T visa  ", area=" Statewide "))
    assert (trimmed.title, trimmed.area, trimmed.outside_url) == ("T visa", "Statewide", "")


def test_each_link_of_a_text_is_sent_through_the_leaving_page_in_order(in_request):
    body = "Read [one](https://a.example/1), then [two](https://b.example/2?x=1&y=2)."
    assert services.body_links(body) == ["https://a.example/1", "https://b.example/2?x=1&y=2"]

    kept = SimpleNamespace(id=7, body=body)
    html = services.body_html(kept)
    assert 'href="/help/7/leave?link=1"' in html
    assert 'href="/help/7/leave?link=2"' in html
    assert "a.example" not in html
    assert "b.example" not in html
    assert services.leaving_to(kept, 2) == "https://b.example/2?x=1&y=2"
    for missing in (0, 3):
        assert services.leaving_to(kept, missing) is None


HREF = re.compile(r'href="[^"]*"')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_text_with_its_links_sent_elsewhere_is_as_safe_as_a_story(payload):
    """Sending links elsewhere changes their addresses and nothing else."""
    routed = render_markdown(payload, link=lambda _href: "/help/1/leave?link=1")
    assert_safe(routed)
    assert HREF.sub('href=""', routed) == HREF.sub('href=""', render_markdown(payload))
