"""Every date a person reads is written the site's one way (advocacy/i18n.py say_day: in
English the day before the month, "Friday, 27 November 2026", "27 November 2026"; in
Spanish CLDR's "27 de noviembre de 2026"), never ISO 8601 ("2026-11-27": for machines,
kept in `<time datetime>`, form values, exports, addresses) nor the American "November
27, 2026" / "Nov 27, 2026".

Read on every page of the route table, as every role, in English and in Spanish (the same
walk as tests/test_html_valid.py: tests/support/matrix.py rendered_pages), and on the pages
of a program the matrix's member completed (its letter, the roster, the letter check) and
their notices: a cancelled meeting, in the shape notices have now and the older one.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.programs.models import Enrollment, Program
from tests.support.dates import english_date, english_weekday_and_date, machine_dates
from tests.support.matrix import LANGUAGES, rendered_pages
from tests.support.programs import make_letter_code

pytestmark = pytest.mark.sqlite_only  # how a page writes a date does not depend on the database

COMPLETED_ON = date(2026, 11, 27)  # the matrix's clock: 12:00 UTC, 07:00 in New York
# A cancelled meeting at 18:00 on Tuesday 1 December 2026 in New York (23:00 UTC).
CANCELLED = {
    "title": "Circle",
    "starts_at": "2026-12-01T23:00:00+00:00",
    "zone": "America/New_York",
}
OLDER_CANCELLED = {"title": "Older circle", "when": "2026-12-01 18:00 (America/New_York)"}
# Spanish as CLDR writes it (es: "d 'de' MMMM 'de' y"; hours "H:mm").
SPANISH_COMPLETED_ON = "27 de noviembre de 2026"
# Any day written out in English, the site's way: "27 November 2026".
WRITTEN_OUT = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December) \d{4}\b"
)


@pytest.fixture(scope="module")
def completed(matrix) -> dict:
    """A program the matrix's member completed (with a letter), and two notices of a
    cancelled meeting: {"program_id", "enrollment_id", "code"}."""
    app, now = matrix.app, matrix.clock()
    member, staff = matrix.accounts["member"], matrix.accounts["staff"]
    code = make_letter_code(app, staff.id, member.id, now=now)
    with app.app_context():
        program_id = db.session.scalar(
            select(Program.id).where(Program.title == "Leading together")
        )
        enrollment_id = db.session.scalar(
            select(Enrollment.id).where(Enrollment.program_id == program_id)
        )
        link = f"/events/{matrix.objects['occurrence_id']}"
        notify(member.id, "event_cancelled", now=now, link=link, **CANCELLED)
        notify(member.id, "event_series_cancelled", now=now, link=link, num="2", **OLDER_CANCELLED)
        db.session.commit()
    return {"program_id": program_id, "enrollment_id": enrollment_id, "code": code}


def completed_pages(matrix, completed: dict, language: str) -> dict[str, str]:
    """The pages of the completed program and the member's notices, in `language`."""
    pid, eid = completed["program_id"], completed["enrollment_id"]
    header = {"Accept-Language": language}
    member, staff, anon = (matrix.client_as(role) for role in ("member", "staff", "anon"))
    pages = {
        path: member.get(path, headers=header)
        for path in ("/", "/notices", f"/programs/{pid}", f"/programs/{pid}/letter", "/account")
    }
    for path in ("/staff", f"/programs/{pid}/roster", f"/programs/{pid}/roster/{eid}/completion"):
        pages[f"staff {path}"] = staff.get(path, headers=header)
    pages["letter check"] = anon.post(
        "/programs/verify", data={"code": completed["code"]}, headers=header
    )
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.get_data(as_text=True) for name, response in pages.items()}


def test_no_page_writes_a_day_for_machines_or_month_first(matrix, completed):
    pages = {name: body.decode() for name, body in rendered_pages(matrix).items()}
    for language in LANGUAGES:
        for name, page in completed_pages(matrix, completed, language).items():
            pages[f"{language} {name}"] = page
    written = {name: machine_dates(page) for name, page in pages.items()}
    assert {name: days for name, days in written.items() if days} == {}
    # Not vacuous: many of these pages do show days, written out.
    assert sum(bool(WRITTEN_OUT.search(page)) for page in pages.values()) > 20


def test_a_completed_program_s_days_are_written_out(matrix, completed):
    pages = completed_pages(matrix, completed, "en")
    day = english_date(COMPLETED_ON)
    assert (
        f"You completed this program on {day}. Well done."
        in pages[f"/programs/{completed['program_id']}/letter"]
    )
    assert f"completed {day}" in pages[f"staff /programs/{completed['program_id']}/roster"]
    # It started the day before it was made (tests/support/programs.py make_letter_code).
    assert f"({english_date(date(2026, 11, 26))} to " in pages["letter check"]
    assert f"completed on {day}." in pages["letter check"]
    # The staff workspace says today with its weekday.
    assert f"Today is {english_weekday_and_date(COMPLETED_ON)}." in pages["staff /staff"]


def test_a_cancelled_meeting_s_notice_says_its_day_and_hour_on_the_event_s_clock(matrix, completed):
    notices = completed_pages(matrix, completed, "en")["/notices"]
    assert "“Circle” on Tuesday 1 Dec 6:00\u202fPM (America/New_York) has been cancelled." in (
        notices
    )
    assert "“Older circle” is cancelled from Tuesday 1 Dec 6:00\u202fPM (America/New_York)" in (
        notices
    )


def test_a_spanish_reader_reads_days_in_spanish(matrix, completed):
    pages = completed_pages(matrix, completed, "es")
    letter = pages[f"/programs/{completed['program_id']}/letter"]
    assert SPANISH_COMPLETED_ON in letter
    assert english_date(COMPLETED_ON) not in letter
    # CLDR's "weekday and day" for Spanish (MMMMEd: "E, d 'de' MMMM"), then its "H:mm".
    assert "mar, 1 de diciembre 18:00 (America/New_York)" in pages["/notices"]
    # Its "full" date form on the staff workspace: "EEEE, d 'de' MMMM 'de' y".
    assert f"viernes, {SPANISH_COMPLETED_ON}" in pages["staff /staff"]


def test_the_check_finds_what_it_must_and_only_that():
    """The rule, on pages written by hand: a day in visible text is caught, in attributes
    (`<time datetime>`, an input's value) it is left alone."""
    assert machine_dates("<p>Sent 2026-12-02</p>") == ["2026-12-02"]
    assert machine_dates("<td>December 2, 2026</td><td>Dec 2, 2026</td>") == [
        "December 2, 2026",
        "Dec 2, 2026",
    ]
    assert machine_dates("<li>Sept. 2, 2026</li>") == ["Sept. 2, 2026"]
    assert (
        machine_dates(
            '<time datetime="2026-12-02">2 December 2026</time>'
            '<input type="date" value="2026-12-02"><a href="/x?day=2026-12-02">x</a>'
            "<script>let d = '2026-12-02';</script>"
        )
        == []
    )
