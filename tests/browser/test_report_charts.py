"""The report's bar charts read on a phone (issue 13, a newcomer's try: "the bars are
tiny"): at 390 and 320 px wide, JavaScript off, in English and in Spanish.

Readable, written here as checks a person could make with a ruler: every bar at least
20 px thick and its words at least 14 px, the longest bar of a chart at least 40 % of
the chart's width (a total of 12 beside one of 300 still shows), and nothing drawn past
the chart's edge (no label or number cut off). The chart says the table's totals, the
same words in the same order, and keeps its accessible name; axe finds nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from advocacy.database import utcnow
from advocacy.extensions import db
from advocacy.reports.counting import count
from advocacy.reports.models import Measure
from tests.browser.test_accounts_journey import PageChecks
from tests.support.accounts import make_account
from tests.support.browser import PHONE, SMALL_PHONE, sign_in
from tests.support.programs import make_program

pytestmark = pytest.mark.browser

IN_OCTOBER = datetime(2026, 10, 10, 15, 0, tzinfo=UTC)
IN_NOVEMBER = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
REPORT = "/staff/reports?from_month=2026-10&to_month=2026-11"

# Each chart as the browser draws it: its box, its bars' boxes and every text's box, size
# and words; the totals row of the table that follows it.
CHARTS = """() => [...document.querySelectorAll("main svg.chart")].map((svg) => {
  const box = (el) => { const b = el.getBoundingClientRect();
    return {left: b.left, right: b.right, top: b.top, bottom: b.bottom,
            width: b.width, height: b.height}; };
  const table = svg.closest("section").querySelector("table");
  return {
    box: box(svg),
    name: svg.getAttribute("aria-labelledby") &&
          document.getElementById(svg.getAttribute("aria-labelledby")).textContent,
    role: svg.getAttribute("role"),
    bars: [...svg.querySelectorAll("rect.chart-bar")].map(box),
    texts: [...svg.querySelectorAll("text")].map((t) => ({
      ...box(t), words: t.textContent,
      // The size as drawn: the font's, times the scale the chart is drawn at.
      size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a})),
    values: [...svg.querySelectorAll("text.chart-value")].map((t) => t.textContent),
    totals: [...table.querySelectorAll("tfoot td")].map((td) => td.textContent),
  };
})"""


@pytest.fixture
def counted(app):
    """An admin; a program with requests, places and withdrawals, and the whole site's
    events with 300 RSVPs beside 14 meetings and a small count of attendances: the RSVPs'
    total, "at least 300" (October's 2 are hidden), is the longest bar with the longest
    number after it."""
    admin = make_account(app, "wren-admin", role="admin")
    program = make_program(app, admin.id, now=utcnow(), title="Open circle", meetings=0).id
    with app.app_context():
        for measure, program_id, by in (
            (Measure.REQUESTED, program, 7),
            (Measure.PLACE_GIVEN, program, 3),
            (Measure.WITHDRAWN, program, 12),
            (Measure.MEETING_HELD, program, 6),
            (Measure.ATTENDED, program, 40),
            (Measure.MEETING_HELD, None, 14),
            (Measure.RSVP, None, 300),
            (Measure.ATTENDED, None, 3),
            (Measure.NEW_MEMBER, None, 12),
            (Measure.REPORT_FILED, None, 1234),
            (Measure.REPORT_KEPT, None, 1000),
            (Measure.REPORT_REMOVED, None, 234),
        ):
            count(measure, program_id=program_id, now=IN_NOVEMBER, by=by)
        count(Measure.RSVP, program_id=None, now=IN_OCTOBER, by=2)
        db.session.commit()
    return admin


@pytest.mark.parametrize(
    ("viewport", "language"),
    [(PHONE, "en"), (SMALL_PHONE, "en"), (SMALL_PHONE, "es")],
    ids=["390x844", "320x640", "320x640-es"],
)
def test_the_charts_read_on_a_phone(new_page, counted, viewport, language):
    page = new_page(javascript=False, viewport=viewport)
    sign_in(page, counted)
    page.set_extra_http_headers({"Accept-Language": language})
    assert page.goto(REPORT).status == 200
    assert page.locator("html").get_attribute("lang") == language
    charts = page.evaluate(CHARTS)
    assert len(charts) == 5  # places and meetings of the program; the site's three
    for chart in charts:
        assert chart["role"] == "img"
        assert chart["name"]
        assert chart["values"] == chart["totals"]
        assert chart["box"]["right"] <= viewport["width"]
        edge = chart["box"]
        for shape in chart["bars"] + chart["texts"]:
            assert shape["left"] >= edge["left"] - 0.5, (shape, edge)
            assert shape["right"] <= edge["right"] + 0.5, (shape, edge)
            assert edge["top"] - 0.5 <= shape["top"]
            assert shape["bottom"] <= edge["bottom"] + 0.5
        for text in chart["texts"]:
            assert text["size"] >= 14, text
        drawn = [bar for bar in chart["bars"] if bar["width"] > 0]
        assert drawn, chart["name"]
        for bar in drawn:
            assert bar["height"] >= 20, (chart["name"], bar)
        assert max(bar["width"] for bar in drawn) >= 0.4 * edge["width"], chart["name"]
    said = [value for chart in charts for value in chart["values"]]
    assert {"en": "at least 300", "es": "al menos 300"}[language] in said
    PageChecks(new_page, javascript=False)(page)  # no sideways scroll; axe on its twin
