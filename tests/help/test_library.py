"""The library as readers find it (/help): who sees what, the filters, the search, the
crisis lines at the top, the grounding exercise, and refusals of junk in the address.

The rules (issue 16, DESIGN §2): visitors (not signed in) see only resources marked for
them, every signed-in account sees all; members filter by topic, language and area and
search titles and summaries (every word must begin a word there); a filter that is not
on its list, a search over 100 characters or 8 words is a calm 400 with nothing listed.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.accounts import make_account
from tests.support.help import WHEN, make_resource
from tests.support.snapshots import differences, snapshot

TITLE = re.compile(r'class="resource-title"><a href="/help/(\d+)"[^>]*>([^<]+)</a>')


def titles(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [html.unescape(title) for _id, title in TITLE.findall(response.get_data(as_text=True))]


@pytest.fixture
def shelf(app) -> dict[str, int]:
    """Five resources, each last changed a day after the one before (the list shows the
    newest first): three for visitors too, two for members only."""
    made = {}
    rows = [
        ("Vacating convictions", "Clearing a record after trafficking.", "legal", "en",
         "Statewide", True),
        ("Conceptos de la visa T", "Quién puede pedirla.", "legal", "es", "Nationwide", True),
        ("Housing caseworkers", "Help with rent and deposits.", "housing", "en",
         "Kings County", False),
        ("Clinics without insurance", "Sliding-scale health centers.", "health", "en",
         "Kings County", True),
        ("Members' circle notes", "What happens at a circle.", "peer_support", "en",
         "Queens", False),
    ]  # fmt: skip
    names = ("title", "summary", "category", "language", "area", "is_public")
    for day, row in enumerate(rows):
        made[row[0]] = make_resource(
            app, **dict(zip(names, row, strict=True)), now=WHEN + timedelta(days=day)
        )
    return made


PUBLIC = ["Clinics without insurance", "Conceptos de la visa T", "Vacating convictions"]
EVERYTHING = [
    "Members' circle notes",
    "Clinics without insurance",
    "Housing caseworkers",
    "Conceptos de la visa T",
    "Vacating convictions",
]


def test_a_visitor_sees_only_what_is_marked_for_visitors(app, client, shelf):
    assert titles(client.get("/help")) == PUBLIC
    hidden = shelf["Housing caseworkers"]
    for path in (f"/help/{hidden}", f"/help/{hidden}/leave"):
        assert client.get(path).status_code == 404
    # Nor does a search or the area list give a members-only resource away.
    assert titles(client.get("/help?q=caseworkers")) == []
    page = client.get("/help").get_data(as_text=True)
    assert "Queens" not in page
    assert client.get("/help?area=Queens").status_code == 400
    assert client.get(f"/help/{shelf['Vacating convictions']}").status_code == 200


@pytest.mark.parametrize("role", ["member", "mentor", "staff", "admin"])
def test_every_signed_in_account_sees_the_whole_library(app, auth, shelf, role):
    auth.login(make_account(app, f"reader-{role}", role=role))
    assert titles(auth.client.get("/help")) == EVERYTHING
    assert auth.client.get(f"/help/{shelf['Housing caseworkers']}").status_code == 200
    page = auth.client.get("/help").get_data(as_text=True)
    staff_only = "Members only" in page and "Add a resource" in page
    assert staff_only == (role in ("staff", "admin"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=legal", ["Conceptos de la visa T", "Vacating convictions"]),
        ("category=housing", ["Housing caseworkers"]),
        ("category=work_study", []),
        ("language=es", ["Conceptos de la visa T"]),
        ("area=Kings+County", ["Clinics without insurance", "Housing caseworkers"]),
        ("category=health&area=Kings+County", ["Clinics without insurance"]),
        ("category=legal&language=es&area=Statewide", []),
        # Words begin words of a title or summary, in any case; every word must match.
        ("q=vacat", ["Vacating convictions"]),
        ("q=CONVICTIONS+vacating", ["Vacating convictions"]),
        ("q=convictions+housing", []),
        ("q=record", ["Vacating convictions"]),  # in the summary
        ("q=ecord", []),  # the middle of a word
        ("q=quién", ["Conceptos de la visa T"]),
        ("q=ｖｉｓａ", ["Conceptos de la visa T"]),  # full-width letters
        ("q=where+is+a+clinic", ["Clinics without insurance"]),  # common words set aside
        ("q=sliding-scale", ["Clinics without insurance"]),
        ("q=rent&category=housing", ["Housing caseworkers"]),
        ("q=rent&category=health", []),
        ("q=", EVERYTHING),
        ("q=++&category=&language=&area=", EVERYTHING),
    ],
)
def test_the_filters_and_the_search_narrow_the_list(app, auth, member, shelf, query, expected):
    auth.login(member)
    assert titles(auth.client.get(f"/help?{query}")) == expected


def test_the_search_reads_titles_and_summaries_as_they_are_now(app, auth, staff, shelf):
    auth.login(staff)
    make_resource(app, title="Clinic list", summary="Only here.", body="A word: dentistry.")
    assert titles(auth.client.get("/help?q=dentistry")) == []  # the text is not searched
    resource = shelf["Vacating convictions"]
    changed = {
        "title": "Sealing records",
        "summary": "How sealing differs.",
        "category": "legal",
        "language": "en",
        "area": "Statewide",
        "body": "Ask a lawyer.",
        "is_public": "y",
    }
    assert auth.client.post(f"/help/{resource}/edit", data=changed).status_code == 303
    assert titles(auth.client.get("/help?q=vacating")) == []
    assert titles(auth.client.get("/help?q=sealing")) == ["Sealing records"]


NOT_ON_THE_LIST = [
    ("category=immigration", "Please choose a topic from the list."),
    ("category=LEGAL", "Please choose a topic from the list."),
    ("language=xx", "Please choose a language from the list."),
    ("language=en-US", "Please choose a language from the list."),
    ("area=Mars", "Please choose an area from the list."),
    ("area=" + "k" * 81, "Please choose an area from the list."),
    ("q=" + "v" * 101, "Please search with 100 characters or fewer."),
    ("q=" + "+".join(f"w{n}" for n in range(9)), "Please search with 8 words or fewer."),
]


@pytest.mark.parametrize(("query", "said"), NOT_ON_THE_LIST)
def test_junk_in_the_address_is_a_calm_400_listing_nothing(app, client, shelf, query, said):
    before = snapshot(app)
    response = client.get(f"/help?{query}")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert said in page
    assert "Please check the highlighted field below." in page
    assert TITLE.findall(page) == []
    assert "1-888-373-7888" in page  # the crisis lines stay at the top
    assert differences(before, snapshot(app)) == {}


def test_a_search_of_100_characters_and_8_words_is_read(app, client, shelf):
    assert titles(client.get("/help?q=" + "v" * 100)) == []
    words = ["clinics", "clin", "without", "insurance", "sliding", "scale", "health", "centers"]
    eight = "+".join(words)
    assert titles(client.get(f"/help?q={eight}")) == ["Clinics without insurance"]


def test_the_crisis_lines_configured_today_come_first(app, client):
    app.config["CRISIS_LINES"] = ("Local line|Call 0800 000 000|tel:0800000000",)
    page = client.get("/help").get_data(as_text=True)
    assert '<a href="tel:0800000000">Call 0800 000 000</a>' in page
    assert "1-888-373-7888" not in page
    main = page[page.index("<main") :]
    assert main.index("Local line") < main.index('role="search"')


def test_the_default_crisis_lines_and_the_grounding_exercise_are_linked(client):
    page = client.get("/help").get_data(as_text=True)
    for shown in ('href="tel:+18883737888"', 'href="sms:233733"', 'href="/help/grounding"'):
        assert shown in page


def test_the_grounding_exercise_needs_no_script(client):
    response = client.get("/help/grounding")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    for step in (
        "count to 4",
        "count to 6",
        "5 things you can see.",
        "4 things you can touch.",
        "3 things you can hear.",
        "2 things you can smell.",
        "1 thing you can taste.",
    ):
        assert step in page
    # The only scripts are the site's own (base.html: quick-exit keys, the language
    # button's question), never the exercise's.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/js/quick-exit.js" defer>',
        '<script src="/static/js/language.js" defer>',
    ]
    assert "1-888-373-7888" in page


def test_the_breathing_circle_moves_only_for_those_who_have_not_asked_for_less_motion(app):
    css = (Path(app.static_folder) / "css" / "site.css").read_text()
    start = css.index("@media (prefers-reduced-motion: no-preference)")
    block = css[start : css.index("\n}\n", start)]
    animations = [m.start() for m in re.finditer(r"\banimation\s*:", css)]
    assert animations, "the circle is animated somewhere"
    assert all(start < at < start + len(block) for at in animations)
    # Outside that block the guide (and its sentence about the circle) is not shown.
    assert ".breathing-guide { display: none; }" in css[:start]


def test_the_library_is_linked_from_home_and_every_footer(client):
    for path in ("/", "/safety", "/privacy", "/stories"):
        page = client.get(path).get_data(as_text=True)
        footer = page[page.index('<footer class="site-footer">') :]
        assert '<a href="/help">Help and resources</a>' in footer, path
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert 'href="/help"' not in header  # the header keeps its size on a 320px phone


OWN_LANGUAGE = re.compile(r'<a href="(/help\?language=\w+)">([^<]+)</a>')


def test_a_reader_in_spanish_is_offered_the_resources_in_spanish_only(client, shelf):
    """Most resources are in English: a page read in Spanish offers, above the list, to
    show only those in Spanish, and that link shows them; English readers, or one who
    chose a language already, are not offered it."""
    spanish = client.get("/help", headers={"Accept-Language": "es"})
    assert OWN_LANGUAGE.findall(spanish.get_data(as_text=True)) == [
        ("/help?language=es", "Solo recursos en tu idioma (Español)")
    ]
    only = client.get("/help?language=es", headers={"Accept-Language": "es"})
    assert titles(only) == ["Conceptos de la visa T"]
    assert OWN_LANGUAGE.findall(only.get_data(as_text=True)) == []
    english = client.get("/help", headers={"Accept-Language": "en"})
    assert OWN_LANGUAGE.findall(english.get_data(as_text=True)) == []
