"""Bad input stops at the edge: a calm 404 or 400, never a 500, nothing written.

Ids in URLs are 1 to 18 ASCII digits and at most 2^31 - 1 (the id columns are INTEGER,
32-bit on PostgreSQL); query strings and forms hold no C0 control character or DEL (form
values may hold TAB, LF and CR) and only UTF-8; no request carries a file. PostgreSQL
refuses NUL in text outright, so each case must stop before a view or the database sees
it, on both databases.
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from advocacy.extensions import db
from advocacy.stories.models import Story
from tests.access_table import ACCESS, SIGNED_IN
from tests.support.headers import assert_not_cached, assert_safety_headers
from tests.support.matrix import all_objects
from tests.support.queries import count_queries
from tests.support.snapshots import differences, row_counts, snapshot
from tests.support.stories import make_story

CALM_400 = "Something in that request didn't work"
CALM_404 = "We couldn't find that page"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
URLENCODED = "application/x-www-form-urlencoded"


def writes(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


def assert_calm(response, code: int, calm: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == code, body[:2000]
    assert calm in body
    assert_safety_headers(response)
    assert_not_cached(response)


# 1. Ids in URLs.

# "٣" (Arabic-Indic three) and "²" are Unicode decimal digits to Werkzeug's own int
# converter; 2^63 and beyond overflow PostgreSQL's bigint; 19 digits is over the rule.
BAD_IDS = [
    "%D9%A3",
    "٣",
    "²",
    "%C2%B2",
    "9223372036854775808",
    "99999999999999999999",
    "1000000000000000000",
    "2147483648",  # one above what PostgreSQL's integer id columns hold
    "999999999999999999",
    "-1",
    "+1",
    "1.0",
]


@pytest.mark.parametrize(
    "path",
    [
        "/stories/%D9%A3",
        "/stories/9223372036854775808",
        "/stories/99999999999999999999",
        "/events/²",
        "/events/%C2%B2",
        "/stories/2147483648",  # past the INTEGER id columns: PostgreSQL would refuse it
        "/stories/999999999999999999",
        "/stories/2147483647",  # the largest id: a story that does not exist
    ],
)
def test_an_id_that_is_no_small_ascii_number_is_a_plain_404(app, client, auth, member, path):
    auth.login(member)
    assert_calm(client.get(path), 404, CALM_404)


def test_a_real_id_in_other_digits_is_no_id(app, client, member):
    story_id = make_story(app, member.id, title="Finding my voice")
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in str(story_id))  # ٠١٢…٩
    assert_calm(client.get(f"/stories/{arabic_indic}"), 404, CALM_404)
    fullwidth = "".join(chr(0xFF10 + int(digit)) for digit in str(story_id))  # ０１２…９
    assert_calm(client.get(f"/stories/{fullwidth}"), 404, CALM_404)


def test_a_real_id_still_reaches_its_page(app, client, member):
    story_id = make_story(app, member.id, title="Finding my voice")
    response = client.get(f"/stories/{story_id}")
    assert response.status_code == 200
    assert "Finding my voice" in response.get_data(as_text=True)
    # Leading zeros are still the same id (as they were before).
    assert client.get(f"/stories/00{story_id}").status_code == 200


def id_rules(app):
    """Every route with an id in its address, from the app's own URL map."""
    rules = [r for r in app.url_map.iter_rules() if r.arguments and r.endpoint != "static"]
    assert len(rules) >= 25  # stories, events, programs, moderation, staff, invites…
    return rules


def test_every_id_in_every_route_is_bounded(app, client, auth, admin, member, other_member):
    auth.login(admin)
    all_objects(app, auth.clock, member.id, other_member.id, runner_id=admin.id)
    before = snapshot(app)
    answers = {}
    for rule in id_rules(app):
        for bad in BAD_IDS:
            path = re.sub(r"<[^>]+>", bad, rule.rule)
            for method in sorted(rule.methods - IGNORED_METHODS):
                response = client.open(path, method=method, data={})
                answers[method, path] = response.status_code
                assert_safety_headers(response)
    assert {key for key, code in answers.items() if code != 404} == set()
    assert differences(before, snapshot(app)) == {}
    assert client.get("/account").status_code == 200  # still signed in, nothing ended


def test_ids_are_bounded_for_visitors_too(app, client):
    for rule in id_rules(app):
        path = re.sub(r"<[^>]+>", "9223372036854775808", rule.rule)
        for method in sorted(rule.methods - IGNORED_METHODS):
            assert client.open(path, method=method).status_code == 404, (method, path)


# 2. Control characters and text that is not UTF-8.

# C0, DEL and C1 (U+0085 is NEL, a line break only some programs honour).
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f"]
LINES = ["\t", "\n", "\r"]


@pytest.mark.parametrize("control", CONTROLS + LINES)
@pytest.mark.parametrize("where", ["value", "key"])
def test_a_control_character_in_a_query_string_is_a_400(app, client, control, where):
    query = {"after": f"1{control}2"} if where == "value" else {f"af{control}ter": "1"}
    with count_queries(app) as seen:
        response = client.get("/stories", query_string=query)
    assert_calm(response, 400, CALM_400)
    assert seen.statements == []


@pytest.mark.parametrize(
    "query",
    [b"after=%FF", b"after=%C3", b"after=%ED%A0%80", b"after=\xff", b"%FF=1", b"after=%00"],
)
def test_a_query_string_that_is_not_utf8_or_holds_nul_is_a_400(app, client, query):
    with count_queries(app) as seen:
        # As the bytes arrive: WSGI hands the query string over as latin-1 text.
        response = client.get(
            "/stories", environ_overrides={"QUERY_STRING": query.decode("latin-1")}
        )
    assert_calm(response, 400, CALM_400)
    assert seen.statements == []


def test_plain_text_in_a_query_string_still_works(app, client):
    assert client.get("/stories", query_string={"after": "é ٣ x"}).status_code == 200


@pytest.mark.parametrize("control", CONTROLS)
def test_anonymous_sign_in_with_a_control_character_never_reaches_the_database(
    app, client, member, control
):
    before = snapshot(app)
    with count_queries(app) as seen:
        response = client.post(
            "/login",
            data={"pseudonym": f"river{control}member", "password": member.password},
        )
    assert_calm(response, 400, CALM_400)
    assert seen.statements == []  # no view, no account lookup, no failure counted
    assert row_counts(snapshot(app)) == row_counts(before)
    assert differences(before, snapshot(app)) == {}


@pytest.mark.parametrize(
    "body",
    [
        b"pseudonym=river%00member&password=x",
        b"pseudonym=river%FFmember&password=x",
        b"pseudonym=river\xffmember&password=x",
        b"pseudo%00nym=river&password=x",
        b"pseudonym=river&password=%C3",
    ],
)
def test_a_raw_sign_in_form_with_nul_or_bad_utf8_is_a_400(app, client, member, body):
    with count_queries(app) as seen:
        response = client.post("/login", data=body, content_type=URLENCODED)
    assert_calm(response, 400, CALM_400)
    assert seen.statements == []


STORY = {
    "title": "A quiet morning",
    "body": "Plain words, nothing that names anyone.",
    "audience": "members",
    "byline": "pseudonym",
    "action": "save",
}


def story_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Story))


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("field", ["title", "body", "warning_note", "action"])
def test_a_story_with_a_control_character_is_refused_and_nothing_written(
    app, client, auth, member, field, control
):
    auth.login(member)
    before = snapshot(app)
    form = {**STORY, "warning_note": "", field: f"{STORY.get(field, 'x')}{control}"}
    with count_queries(app) as seen:
        response = client.post("/stories/new", data=form)
    assert_calm(response, 400, CALM_400)
    assert writes(seen.statements) == []
    assert row_counts(snapshot(app)) == row_counts(before)
    assert differences(before, snapshot(app)) == {}


def test_a_story_may_hold_tabs_and_line_breaks(app, client, auth, member):
    auth.login(member)
    form = {**STORY, "body": "First line,\r\nsecond line\n\tand an indented third."}
    assert client.post("/stories/new", data=form).status_code == 303
    assert story_count(app) == 1


def test_every_form_refuses_nul_before_its_view(
    app, auth, mentor, staff, admin, member, other_member
):
    """Every POST route of tests/access_table.py, as a role let in and as a visitor."""
    objects = all_objects(app, auth.clock, member.id, other_member.id, runner_id=staff.id)
    ids = {"member_id": member.id, **objects}
    accounts = {"member": member, "mentor": mentor, "staff": staff, "admin": admin}
    clients = {"anon": app.test_client()}
    for role, account in accounts.items():
        clients[role] = app.test_client()
        assert auth.login(account, client=clients[role]).status_code == 303
    answers, checked = {}, 0
    for endpoint, route in ACCESS.items():
        if route.post is None:
            continue
        let_in = next((r for r in SIGNED_IN if route.post[r].outcome == "ok"), None)
        for role in {"anon", let_in} & clients.keys():
            before = snapshot(app)
            response = clients[role].post(
                route.path.format(**ids), data={"note": "a\x00b", "x\x00": "1"}
            )
            assert_safety_headers(response)
            answers[endpoint, role] = response.status_code
            assert differences(before, snapshot(app)) == {}, (endpoint, role)
            checked += 1
    assert {key for key, code in answers.items() if code != 400} == set()
    assert checked >= 60


# 3. Files: no route takes an upload.


def test_a_story_body_sent_as_a_file_is_a_400(app, client, auth, member):
    auth.login(member)
    before = snapshot(app)
    form = {**STORY, "body": (BytesIO(b"Plain words, nothing that names anyone."), "story.txt")}
    with count_queries(app) as seen:
        response = client.post("/stories/new", data=form, content_type="multipart/form-data")
    assert_calm(response, 400, CALM_400)
    assert writes(seen.statements) == []
    assert differences(before, snapshot(app)) == {}


def test_a_sign_in_with_a_file_attached_is_a_400(app, client, member):
    form = {
        "pseudonym": member.pseudonym,
        "password": member.password,
        "avatar": (BytesIO(b""), ""),  # even an empty file input
    }
    with count_queries(app) as seen:
        response = client.post("/login", data=form, content_type="multipart/form-data")
    assert_calm(response, 400, CALM_400)
    assert seen.statements == []


def test_a_multipart_form_is_a_400_even_without_files(app, client, auth, member):
    # No page sends one; its parts would be decoded leniently (bad UTF-8, other charsets).
    auth.login(member)
    response = client.post("/stories/new", data=STORY, content_type="multipart/form-data")
    assert_calm(response, 400, CALM_400)
    assert story_count(app) == 0


# A page's forms are sent urlencoded, nothing else. Flask-WTF would read a JSON body as the
# form (past every check above: a lone surrogate in a password, NUL in a title).
OTHER_BODIES = [
    ("application/json", b'{"pseudonym": "river", "password": "\\ud800"}'),
    ("application/json", b'{"title": "A quiet\\u0000morning", "body": "Plain words."}'),
    ("text/plain", b"pseudonym=river&password=x"),
    ("application/x-www-form-urlencoded-but-not", b"pseudonym=river&password=x"),
    ("", b"pseudonym=river&password=x"),
]


@pytest.mark.parametrize(("content_type", "body"), OTHER_BODIES)
@pytest.mark.parametrize("path", ["/login", "/stories/new"])
def test_a_body_that_is_not_a_urlencoded_form_is_a_400(
    app, client, auth, member, path, content_type, body
):
    auth.login(member)
    before = snapshot(app)
    headers = {"Content-Type": content_type} if content_type else {}
    with count_queries(app) as seen:
        response = client.post(path, data=body, headers=headers)
    assert_calm(response, 400, CALM_400)
    assert writes(seen.statements) == []
    assert differences(before, snapshot(app)) == {}


def test_a_post_with_no_body_at_all_still_reaches_its_view(app, client, auth, member):
    # The access table's "empty form" requests: let in, then the form's own answer.
    auth.login(member)
    response = client.post("/stories/new")
    assert response.status_code == 400
    assert "Please fill this in." in response.get_data(as_text=True)


@pytest.mark.parametrize("header", ["Referer", "Origin"])
@pytest.mark.parametrize("path", ["/", "/account/password", "/login"])
def test_a_referer_or_origin_that_is_no_url_is_a_400_not_a_500(app, client, member, header, path):
    response = client.post(path, headers={header: "http://["}, data={"pseudonym": "x"})
    assert_calm(response, 400, CALM_400)
    assert client.get("/", headers={header: "http://["}).status_code == 400


@pytest.mark.parametrize("control", ["\x00", "\x1b"])
def test_a_multipart_form_with_a_control_character_is_a_400(app, client, auth, member, control):
    auth.login(member)
    form = {**STORY, "title": f"A quiet{control}morning"}
    response = client.post("/stories/new", data=form, content_type="multipart/form-data")
    assert_calm(response, 400, CALM_400)
    assert story_count(app) == 0
