"""Fuzzing as a test (issue 12): every route, every role, hostile values everywhere.

For each (endpoint, method, role) cell of tests/access_table.py, a few requests carry
hostile values (tests/support/fuzz.py) in the path's ids, the query string and, for a
POST, in a form read off the app's own pages (so the other fields are valid and the
hostile one gets past the form's first checks) or sent as no page sends it. Each answer:

- is never a 5xx;
- carries every security header, and (but for static files) `no-store`;
- when it refuses (4xx), wrote nothing: no INSERT, UPDATE or DELETE reached the database.

Examples are drawn the same way every run (derandomized, no example database) and a
handful per cell, so the test is a fixed, bounded walk; a failure names the request.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.access_table import ACCESS, ROLES
from tests.support.fuzz import (
    Drawn,
    Sent,
    at_the_edges,
    hostile_request,
    sent_as,
)
from tests.support.headers import assert_not_cached, assert_safety_headers
from tests.support.matrix import cells
from tests.support.queries import count_queries

EXAMPLES_PER_CELL = 4
WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(WRITES)]


def check(endpoint: str, sent: Sent, response, statements: list[str]) -> None:
    where = f"{endpoint}: {sent.describe()}"
    assert response.status_code < 500, where
    assert_safety_headers(response)
    if endpoint != "static":
        assert_not_cached(response)
    if response.status_code >= 400:
        assert writes(statements) == [], where


@pytest.mark.parametrize(("endpoint", "method", "role"), cells())
def test_hostile_input_never_gets_a_5xx_or_writes_when_refused(
    matrix, forms_seen, endpoint, method, role
):
    route = ACCESS[endpoint]
    path = matrix.path(route)
    base = forms_seen.get((role, path), []) if method == "POST" else None

    @settings(
        max_examples=EXAMPLES_PER_CELL,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # a failure names its request: no shrinking
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_request(path, matrix.ids, base))
    def one_request(drawn: Drawn) -> None:
        client = matrix.client_as(role)
        for before_method, before_path in route.before:
            client.open(before_path.format(**matrix.ids), method=before_method)
        for sent in drawn.requests():
            with (
                count_queries(matrix.app) as seen,
                client.open(
                    sent.path, method=method, data=sent.body, content_type=sent.content_type
                ) as response,
            ):
                check(endpoint, sent, response, seen.statements)

    one_request()


@pytest.mark.parametrize(
    "endpoint", [endpoint for endpoint, route in ACCESS.items() if "POST" in route.methods]
)
def test_every_field_of_every_form_at_the_edges_of_its_kind(matrix, forms_seen, endpoint):
    """Deterministic beside the drawn requests: each field of the form a page shows for the
    endpoint (to the first role shown one), alone at each edge of its kind."""
    path = matrix.path(ACCESS[endpoint])
    role = next((role for role in ROLES if (role, path) in forms_seen), None)
    if role is None:  # no page shows a form for it (a button elsewhere, a code step)
        return
    client = matrix.client_as(role)
    for pairs in at_the_edges(forms_seen[role, path]):
        sent = sent_as("form", path, pairs)
        with (
            count_queries(matrix.app) as seen,
            client.post(path, data=sent.body, content_type=sent.content_type) as response,
        ):
            check(endpoint, sent, response, seen.statements)


def test_the_forms_read_off_the_pages_cover_the_post_routes(matrix, forms_seen):
    """The walk sends filled-in forms, not only blind ones, to most POST routes."""
    post_paths = {matrix.path(route) for route in ACCESS.values() if "POST" in route.methods}
    filled = {path for _role, path in forms_seen} & post_paths
    assert len(filled) >= len(post_paths) * 2 // 3, sorted(post_paths - filled)
