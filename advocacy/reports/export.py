"""A report as CSV for funders: the same numbers as the page, safe to open in a spreadsheet.

One row per program (or the whole site) and month, then a total row for each; a column per
measure, empty where the measure does not apply, whose header names what it counts; then
a last column whose header says, once, what "fewer than 5", "not shown" and "at least"
mean (suppression.py), and whose cells are empty (the header row stays the first row, so
the file reads as a table anywhere). Dates are ISO 8601. A cell that begins
with "=", "+", "-", "@", a tab or a carriage return gets a leading "'", so a spreadsheet
reads it as text, never as a formula (OWASP "CSV Injection"): program titles are typed by
staff, and "=HYPERLINK(…)" in one must not become a link. The file is UTF-8 with a byte
order mark (EF BB BF), as Excel needs to read accented titles right (as_bytes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import groupby

from flask_babel import lazy_gettext as _l

from advocacy.reports.services import ALL_MEASURES, MEASURE_LABELS, Report, Table, last_day

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """Return the cell text, with a "'" before it when a spreadsheet would read a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header() -> list[str]:
    """Say what each column holds."""
    return [
        str(_l("Period starts (ISO 8601 date)")),
        str(_l("Period ends (ISO 8601 date, included)")),
        str(_l("Row (a month, or the total of the months shown)")),
        str(_l("Program number (empty: the whole site)")),
        str(_l("Program, or the whole site")),
        *(str(_l("%(measure)s (count)", measure=MEASURE_LABELS[m])) for m in ALL_MEASURES),
        str(
            _l(
                "Note: in the count columns, 1 to 4 shows as “fewer than 5”; “not shown” is 0"
                " or 5 or more, held back so that a small count in this month or an earlier"
                " one cannot be worked out; a total adds up only the counts shown, “at least”"
                " when one is not shown"
            )
        ),
    ]


def rows(report: Report) -> Iterator[list[str]]:
    """Yield the header, then each scope's month rows and its total row (all neutralised)."""
    yield header()
    scopes = groupby(report.tables, key=lambda t: (t.program_id, t.scope))
    for (program_id, scope), tables in scopes:
        tables = list(tables)
        number = "" if program_id is None else str(program_id)
        for index, month in enumerate(tables[0].months):
            cells = measure_cells(tables, lambda t, i=index: t.shown.rows[i])
            start, end = month.isoformat(), last_day(month).isoformat()
            yield [neutralised(c) for c in (start, end, str(_l("month")), number, scope, *cells)]
        cells = measure_cells(tables, lambda t: t.shown.totals)
        start, end = report.first.isoformat(), report.ends_on.isoformat()
        yield [neutralised(c) for c in (start, end, str(_l("total")), number, scope, *cells)]


def measure_cells(tables: list[Table], figures) -> list[str]:
    """Return one text per measure column from the tables' figures ("" where none), and
    the note column's empty cell."""
    found = {}
    for table in tables:
        for measure, figure in zip(table.group.measures, figures(table), strict=True):
            found[measure] = figure.text()
    return [*(found.get(measure, "") for measure in ALL_MEASURES), ""]


def write(report: Report, out) -> None:
    """Write the report as CSV (RFC 4180: commas, CRLF line ends) to a text stream opened
    with newline=""."""
    writer = csv.writer(out)
    writer.writerows(rows(report))


def as_bytes(report: Report) -> bytes:
    """Return the report as a CSV file: UTF-8 with a byte order mark ("utf-8-sig"), which
    Excel needs to read "é" as one letter rather than two."""
    out = io.StringIO(newline="")
    write(report, out)
    return out.getvalue().encode("utf-8-sig")
