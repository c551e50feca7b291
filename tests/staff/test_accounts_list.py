"""The admins' accounts list: pseudonym search, role filter, keyset pages (issue 13, point 6).

The rules, written here: the search finds every account whose pseudonym contains what was
typed, whatever the case, the width, the separators (space, dot, dash, underscore) and
look-alike letters (UTS #39, as pseudonyms are kept unique: "l" for "i", "rn" for "m");
LIKE's wildcards are plain characters. The role filter shows one role; anything that is
not a role shows every role. Pages hold at most 25 accounts, oldest first, and the
"More accounts" link keeps the search and the filter. Whatever the query string, the
answer is a page (200) or a calm refusal (4xx), never an error; one page costs the same
number of queries whether there are 3 accounts or 60.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy.staff import directory
from tests.support.accounts import make_account
from tests.support.queries import count_queries

NAME = re.compile(r'<th scope="row">([^<]+)</th>')
MORE = re.compile(r'href="(/admin\?[^"]*after=[^"]+)"')
TOO_LONG = "A pseudonym has at most 30 characters. Please type part of one."
NO_LETTERS = "Please type some letters or numbers of the pseudonym."
NOTHING = "No account matches."


def names(client, **query) -> list[str]:
    response = client.get("/admin", query_string=query)
    assert response.status_code == 200
    return NAME.findall(response.get_data(as_text=True))


@pytest.fixture
def admin_client(app, auth, admin):
    for pseudonym, role in [
        ("QuietRiver42", "member"),
        ("quiet_river", "member"),
        ("Quiet Rlver 7", "mentor"),
        ("Fern", "member"),
        ("Marnie", "staff"),
        ("cedar-member", "member"),
        ("Ｗｉｄｅ Ｏｐｅｎ", "member"),
    ]:
        make_account(app, pseudonym, role=role)
    auth.login(admin)
    return auth.client


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("quiet", ["QuietRiver42", "quiet_river", "Quiet Rlver 7"]),
        ("QUIET RIVER", ["QuietRiver42", "quiet_river", "Quiet Rlver 7"]),
        ("quiet.river", ["QuietRiver42", "quiet_river", "Quiet Rlver 7"]),
        ("river42", ["QuietRiver42"]),
        ("  rlver4  ", ["QuietRiver42"]),
        ("Fer", ["Fern"]),  # "Fern" is kept as "fem": a search may stop inside "rn"
        ("arn", ["Marnie"]),
        ("mam", ["Marnie"]),  # looks like "marn"
        ("wide open", ["Ｗｉｄｅ Ｏｐｅｎ"]),
        ("ｃｅｄａｒ", ["cedar-member"]),
        ("zebra", []),
        ("m%r", []),  # LIKE would match "member" and "Marnie"
        ("c_dar", []),  # "_" is a separator: "cdar", not one unknown letter
    ],
)
def test_the_search_ignores_case_separators_and_look_alikes(admin_client, typed, found):
    assert names(admin_client, q=typed) == found


def test_nothing_found_is_said_calmly(admin_client):
    body = admin_client.get("/admin", query_string={"q": "zebra"}).get_data(as_text=True)
    assert NOTHING in body
    assert 'value="zebra"' in body  # the search stays in the box


def test_a_search_too_long_or_without_letters_is_said_and_not_used(admin_client):
    everyone = names(admin_client)
    for typed, said in [("x" * 31, TOO_LONG), ("--- ...", NO_LETTERS), ("%", NO_LETTERS)]:
        response = admin_client.get("/admin", query_string={"q": typed})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert said in body
        assert NAME.findall(body) == everyone
        assert f'value="{html.escape(typed)}"' in body
    assert names(admin_client, q="x" * 30) == []  # 30 characters: a search like any other


def test_the_role_filter_shows_one_role(admin_client):
    assert names(admin_client, role="mentor") == ["Quiet Rlver 7"]
    assert names(admin_client, role="staff") == ["Marnie"]
    assert names(admin_client, role="admin") == ["wren-admin"]
    assert names(admin_client, role="member", q="quiet") == ["QuietRiver42", "quiet_river"]
    everyone = names(admin_client)
    assert len(everyone) == 8
    for odd in ["owner", "Admin", "", "admin ", "mentor,staff"]:
        assert names(admin_client, role=odd) == everyone


def test_the_eligible_list_shows_only_above_the_plain_first_page(admin_client):
    plain = admin_client.get("/admin").get_data(as_text=True)
    assert "Eligible to mentor" in plain
    for query in ({"q": "quiet"}, {"role": "member"}, {"after": "1"}):
        body = admin_client.get("/admin", query_string=query).get_data(as_text=True)
        assert "Eligible to mentor" not in body, query


def walk(client, first: str) -> list[list[str]]:
    pages, path = [], first
    while path:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        pages.append(NAME.findall(body))
        assert len(pages) < 30
        link = MORE.search(body)
        path = html.unescape(link.group(1)) if link else None
    return pages


def test_pages_keep_the_search_and_the_filter(app, auth, admin, monkeypatch):
    monkeypatch.setattr(directory, "PAGE_SIZE", 2)
    expected = []
    for n in range(7):
        make_account(app, f"River {n}", role="mentor" if n % 3 else "member")
        make_account(app, f"Cedar {n}", role="mentor")
        if n % 3:
            expected.append(f"River {n}")
    auth.login(admin)
    pages = walk(auth.client, "/admin?q=rlver&role=mentor")
    assert [name for page in pages for name in page] == expected
    assert [len(page) for page in pages] == [2, 2]


def test_the_real_pages_are_small(app, auth, admin):
    for n in range(30):
        make_account(app, f"Birch {n:02d}")
    auth.login(admin)
    pages = walk(auth.client, "/admin?q=birch")
    assert [len(page) for page in pages] == [25, 5]
    assert [name for page in pages for name in page] == [f"Birch {n:02d}" for n in range(30)]


@pytest.mark.parametrize("after", ["", "x", "-1", "٣", "2147483648", "9" * 40, "1.5"])
def test_a_cursor_that_is_not_one_shows_the_first_page(admin_client, after):
    assert names(admin_client, after=after, q="quiet") == names(admin_client, q="quiet")


def test_a_page_costs_the_same_queries_with_3_or_60_accounts(app, auth, admin):
    make_account(app, "Birch 00")
    auth.login(admin)
    client = auth.client
    queries = [{}, {"q": "birch"}, {"role": "member"}, {"q": "birch", "role": "member"}]
    few = {}
    for query in queries:
        with count_queries(app) as seen:
            client.get("/admin", query_string=query)
        few[str(query)] = seen.count
    for n in range(1, 60):
        make_account(app, f"Birch {n:02d}")
    for query in queries:
        with count_queries(app) as seen:
            body = client.get("/admin", query_string=query).get_data(as_text=True)
        assert seen.count == few[str(query)], query
        assert "More accounts" in body


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    search=st.one_of(st.text(max_size=40), st.sampled_from(["%", "_", "\\", "rn", "ﬁ", "Ⅸ"])),
    role=st.one_of(st.text(max_size=12), st.sampled_from(["member", "staff", "MENTOR"])),
    after=st.one_of(st.text(max_size=20), st.integers(-5, 2**40).map(str)),
)
def test_any_query_string_is_a_page_or_a_calm_refusal(admin_client, search, role, after):
    response = admin_client.get("/admin", query_string={"q": search, "role": role, "after": after})
    if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in search + role + after):
        assert response.status_code == 400  # control characters: refused at the edge
    else:
        assert response.status_code == 200
