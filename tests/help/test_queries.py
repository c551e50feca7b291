"""The library sends as many SQL queries for 500 resources as for 5, and its search reads an
index (issue 16: "indexed, a fixed number of queries").

Visitors, members and staff look at the whole library, a search with a topic, and a
language with an area; each answer's statements are counted at 5 resources and at 500.
The search's plan is read from the database itself (SQLite's EXPLAIN QUERY PLAN,
PostgreSQL's EXPLAIN with sequential scans priced out): the words are found through the
help_words key, not by reading every row.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from advocacy.extensions import db
from advocacy.help import services
from tests.support.accounts import make_account
from tests.support.help import WHEN
from tests.support.queries import count_queries

FEW, MANY = 5, 500
PAGES = [
    "/help",
    "/help?q=visa+basics&category=legal",
    "/help?language=es&area=Kings+County",
    "/help?q=housing+help+caseworker&category=housing&language=en&area=Statewide",
]
TOPICS = ["legal", "housing", "health", "safety", "work_study", "peer_support"]
AREAS = ["Statewide", "Kings County", "Nationwide", "Queens"]
LISTED = re.compile(r'class="resource-title"><a href="/help/\d+"')


def add_resources(app, start: int, stop: int) -> None:
    """Add resources start..stop-1, of every topic, language, area and visibility."""
    with app.app_context():
        for n in range(start, stop):
            services.create(
                services.ResourceDetails(
                    title=f"Visa basics {n}" if n % 2 else f"Housing help {n}",
                    summary=f"Caseworker notes, number {n}.",
                    category=TOPICS[n % len(TOPICS)],
                    language="es" if n % 3 == 0 else "en",
                    area=AREAS[n % len(AREAS)],
                    body=f"Text {n} with a [link](https://example.org/{n}).",
                    outside_url="https://example.org/" if n % 5 == 0 else "",
                    is_public=n % 3 != 2,
                ),
                now=WHEN + timedelta(minutes=n),
            )
        db.session.commit()


def queries(app, client, path: str) -> int:
    with app.app_context(), count_queries() as seen:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return seen.count


def test_the_library_sends_as_many_queries_for_500_as_for_5(app, auth):
    readers = {"visitor": app.test_client()}
    for role in ("member", "staff"):
        client = app.test_client()
        auth.login(make_account(app, f"reader-{role}", role=role), client=client)
        readers[role] = client
    add_resources(app, 0, FEW)
    few = {(who, path): queries(app, c, path) for who, c in readers.items() for path in PAGES}

    add_resources(app, FEW, MANY)
    many = {(who, path): queries(app, c, path) for who, c in readers.items() for path in PAGES}

    assert many == few
    page = readers["member"].get("/help").get_data(as_text=True)
    assert len(LISTED.findall(page)) == services.PAGE_SIZE
    assert "More resources" in page
    # A resource's own page and its leaving page do not grow either.
    for who, client in readers.items():
        assert queries(app, client, "/help/1") == queries(app, client, f"/help/{MANY - 1}"), who


def search_plan(app) -> tuple[str, str]:
    """The database's name, and the plan it makes for one search, as text."""
    query = services.library_query(services.Filters(words=("hous",)), signed_in=True)
    with app.app_context():
        dialect = db.engine.dialect.name
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        if dialect == "sqlite":
            rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            return dialect, "\n".join(str(row[-1]) for row in rows)
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = db.session.execute(text(f"EXPLAIN {compiled}"))
        return dialect, "\n".join(row[0] for row in rows)


@pytest.mark.parametrize("resources", [FEW, 60])
def test_the_search_finds_words_through_their_index(app, resources):
    add_resources(app, 0, resources)
    dialect, plan = search_plan(app)
    # The index is searched by the word's range, not read whole and filtered.
    if dialect == "sqlite":
        assert re.search(
            r"SEARCH help_words USING (COVERING )?INDEX \w+ \(word>\? AND word<\?\)", plan
        ), plan
        assert "SCAN help_words" not in plan, plan
    else:  # PostgreSQL
        assert re.search(r"Index (Only )?Scan (using \w+ )?on help_words", plan), plan
        assert re.search(r"Index Cond: \(+word\)?(::text)? >= 'hous'", plan), plan
        assert "Seq Scan on help_words" not in plan, plan
