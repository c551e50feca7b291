"""`flask report export`: the report as CSV from the command line, exactly what the page's
download gives an admin; a calm refusal for anything it cannot do, and no file clobbered.
"""

from __future__ import annotations

import pytest

from advocacy.reports.models import Measure
from tests.reports.test_csv import HEADER, counted, download, read
from tests.support.programs import make_program


def test_flask_report_export_writes_what_the_page_downloads(
    app, auth, clock, admin, runner, tmp_path
):
    program = make_program(app, admin.id, now=clock(), title="=Healing", meetings=0).id
    counted(app, (Measure.REQUESTED, program, 9), (Measure.NEW_MEMBER, None, 6))
    target = tmp_path / "report.csv"
    # --from takes an ISO date too: its whole month.
    result = runner.invoke(
        args=["report", "export", "--from", "2026-10-15", "--to", "2026-11", str(target)]
    )
    assert result.exit_code == 0, result.output
    written = target.read_bytes()  # the CRLF line ends kept
    assert written == download(app, auth, admin, "from_month=2026-10&to_month=2026-11")
    assert written[:3] == b"\xef\xbb\xbf"  # UTF-8 with a byte order mark, for Excel
    assert read(written)[2][:6] == [
        "2026-11-01",
        "2026-11-30",
        "month",
        str(program),
        "'=Healing",
        "9",
    ]


def test_flask_report_export_of_one_program(app, clock, admin, runner):
    ours = make_program(app, admin.id, now=clock(), title="Ours", meetings=0).id
    other = make_program(app, admin.id, now=clock(), title="Other", meetings=0).id
    counted(app, (Measure.REQUESTED, ours, 9), (Measure.REQUESTED, other, 8))
    result = runner.invoke(
        args=[
            "report",
            "export",
            "--from",
            "2026-11",
            "--to",
            "2026-11",
            "--program",
            str(ours),
            "-",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes[:3] == b"\xef\xbb\xbf"
    rows = read(result.stdout_bytes)
    assert rows[0] == HEADER
    assert [row[:6] for row in rows[1:]] == [
        ["2026-11-01", "2026-11-30", "month", str(ours), "Ours", "9"],
        ["2026-11-01", "2026-11-30", "total", str(ours), "Ours", "9"],
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--from", "2026-13", "--to", "2026-11"], "use a month, YYYY-MM, or an ISO date"),
        (["--from", "2026-02-30", "--to", "2026-11"], "use a month, YYYY-MM, or an ISO date"),
        (["--from", "٢٠٢٦-01", "--to", "2026-11"], "use a month, YYYY-MM, or an ISO date"),
        (["--from", "2026-11", "--to", "2026-10"], "The last month must be the same as the first"),
        (["--from", "2026-11", "--to", "2026-11", "--program", "999"], "no program number 999"),
    ],
)
def test_flask_report_export_refuses_calmly_and_writes_nothing(runner, tmp_path, args, said):
    target = tmp_path / "report.csv"
    result = runner.invoke(args=["report", "export", *args, str(target)])
    assert result.exit_code != 0
    assert said in result.output
    assert not target.exists()


def test_flask_report_export_never_overwrites_a_file(runner, tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("kept")
    result = runner.invoke(
        args=["report", "export", "--from", "2026-11", "--to", "2026-11", str(target)]
    )
    assert result.exit_code == 1
    assert "exists; choose a new file name" in result.output
    assert target.read_text() == "kept"


def test_flask_report_export_help_says_what_dates_it_takes(runner):
    result = runner.invoke(args=["report", "export", "--help"])
    assert "--from DATE" in result.output
    assert "ISO date YYYY-MM-DD (its whole month is taken)" in " ".join(result.output.split())
