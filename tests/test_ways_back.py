"""Every page with a form offers a way back in its own content, not only the browser's
Back button or the menu (folded away on a phone): the program edit page had none
(a newcomer's find), nor had the event, meeting and help forms, the export, the
password check before a sensitive step and the recovery page.

Walks every page of the route table (tests/access_table.py), as every role that may
open it, with the objects the matrix makes.
"""

from __future__ import annotations

import re

from tests.access_table import ACCESS, ROLES
from tests.support.matrix import matrix  # noqa: F401 (the fixture)

# Pages that are where the menu leads: the page is the place to be, not a step on a way.
MENU_DESTINATIONS = {
    "notices.index": "Notices, in the menu; its buttons open each notice",
    "accounts.invites": "Invites, in the menu",
    "programs.verify": "where a completion letter sends whoever checks it; nothing before it",
}
MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)
POST_FORM = re.compile(r'<form[^>]*method="post"')
LINK = re.compile(r'<a [^>]*href="([^"#][^"]*)"')

PAGES = [
    (endpoint, role)
    for endpoint, route in sorted(ACCESS.items())
    if "GET" in route.methods and endpoint != "static" and endpoint not in MENU_DESTINATIONS
    for role in ROLES
]


def test_every_page_with_a_form_links_somewhere_from_its_content(matrix):  # noqa: F811
    with_forms, without_way_back = set(), []
    for endpoint, role in PAGES:
        route = ACCESS[endpoint]
        client = matrix.client_as(role)
        for before_method, before_path in route.before:
            client.open(before_path.format(**matrix.ids), method=before_method)
        with client.get(matrix.path(route)) as answer:
            body = answer.get_data(as_text=True)
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue  # refused, redirected or not a page: the route table's tests say which
        main = MAIN.search(body)
        assert main is not None, endpoint
        if POST_FORM.search(main.group(1)):
            with_forms.add(endpoint)
            if not LINK.search(main.group(1)):
                without_way_back.append((endpoint, role))
    assert without_way_back == []
    assert len(with_forms) >= 35  # the walk met the forms (sign-in, stories, events, staff…)
