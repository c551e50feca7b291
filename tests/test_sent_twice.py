"""Double submits make one thing, as a kind (issue 12): every form a page shows, filled in
as a person would and sent twice with the same page's mark (a double tap, a retry), adds
no row the first send did not.

tests/test_once.py shows the rule form by form (twice in a row, twice at once); this walk
finds any POST route whose form makes rows twice without it. One walk, in a fixed order:
the pause comes last, since a paused member can no longer sign in to send anything.
"""

from __future__ import annotations

from tests.access_table import ACCESS, ROLES
from tests.support.fuzz import sent_as
from tests.support.snapshots import row_counts, snapshot

LAST = ["staff.pause_account"]


def walk_order() -> list[str]:
    posts = [endpoint for endpoint, route in ACCESS.items() if "POST" in route.methods]
    return sorted(posts, key=lambda endpoint: (endpoint in LAST, endpoint))


def test_every_form_sent_twice_adds_rows_once(matrix, forms_seen):
    grew, sent_twice = {}, 0
    for endpoint in walk_order():
        path = matrix.path(ACCESS[endpoint])
        role = next((role for role in ROLES if (role, path) in forms_seen), None)
        if role is None:  # no page shows a form for it (a button elsewhere, a code step)
            continue
        client = matrix.client_as(role)
        sent = sent_as("form", path, [(f.name, f.value) for f in forms_seen[role, path]])
        client.post(path, data=sent.body, content_type=sent.content_type)
        after_first = row_counts(snapshot(matrix.app))
        assert client.post(path, data=sent.body, content_type=sent.content_type).status_code < 500
        sent_twice += 1
        more = {
            table: (after_first[table], count)
            for table, count in row_counts(snapshot(matrix.app)).items()
            if count > after_first[table]
        }
        if more:
            grew[endpoint] = more
    assert grew == {}
    assert sent_twice >= 30
