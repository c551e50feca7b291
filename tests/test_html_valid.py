"""Every page is valid HTML by the W3C Nu HTML checker (issue 18): every page of the
route table (tests/access_table.py), as every role, in English and in Spanish: each
GET, and each form sent empty where the table says it is refused with the form again
(400). That covers the pages the browser tests visit, and their error states.

The pages are written to one folder and checked by one run of the checker (one Java
start for all of them: tests/support/vnu.py)."""

from __future__ import annotations

import pytest

from tests.support.matrix import rendered_pages
from tests.support.vnu import check_folder

pytestmark = pytest.mark.sqlite_only  # the HTML does not depend on the database


def test_every_page_is_valid_html(matrix, tmp_path):
    pages = rendered_pages(matrix)
    assert len(pages) > 200  # every role's pages, not a handful
    for name, body in pages.items():
        (tmp_path / name).write_bytes(body)
    errors = check_folder(tmp_path)
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(map(str, errors))


def test_the_checker_reports_what_is_wrong(tmp_path):
    """The checker runs and is read: a page with a known fault is reported."""
    (tmp_path / "broken.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><input type="text" min="1"><p id="a"></p><p id="b"><div></p></body></html>'
    )
    problems = check_folder(tmp_path)
    assert any("“min” not allowed" in p.message for p in problems), problems
    assert all(p.page == "broken.html" for p in problems)
