"""The program list puts open programs first, then the rest, each soonest start first, and
reads them from one index in its order (issue 17, item 3): never a sort of every program
ever run, with the open ones pages deep. Its cursor says which part a page ended in;
anything else in `after` shows the first page, as on every list (tests/test_paging.py).

The plan is read from SQLite itself (EXPLAIN QUERY PLAN), after ANALYZE on a site with
many programs long over.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from advocacy.extensions import db
from advocacy.programs import catalog
from tests.support.event_rules import person
from tests.support.plans import plan_of_sent
from tests.support.program_rules import program

ON_THE_INDEX = re.compile(r"(SCAN|SEARCH) programs USING (COVERING )?INDEX ix_programs_open_first")
RANGE_OF_THE_REST = re.compile(
    r"SEARCH programs USING (COVERING )?INDEX ix_programs_open_first "
    r"\(<expr>=\? AND starts_on>\?\)"
)


def plan_of(viewer, after) -> str:
    return plan_of_sent(lambda: catalog.programs_page(viewer, after), "programs")


def many_programs(staff) -> dict[str, list]:
    """Sixty programs long over, a few closed and cancelled, three open: created in an
    order unlike the list's."""
    made = {"open": [], "rest": []}
    for n in range(3):
        made["open"].append(program(staff, f"Open {n}", starts_in=90 - n))
    for n in range(60):
        made["rest"].append(
            program(staff, f"Done {n}", starts_in=-700 + 10 * n, status="completed")
        )
    made["rest"].append(program(staff, "Full", starts_in=5, status="closed"))
    made["rest"].append(program(staff, "Called off", starts_in=6, status="cancelled"))
    return made


@pytest.mark.usefixtures("in_request")
def test_open_programs_come_first_then_the_rest_each_soonest_first():
    staff, member = person("maple", "staff"), person("ash")
    made = many_programs(staff)
    draft = program(staff, "Draft", starts_in=1, status="draft")
    first = catalog.programs_page(member, None)
    assert [p.title for p in first[:3]] == ["Open 2", "Open 1", "Open 0"]
    assert [p.title for p in first[3:6]] == ["Done 0", "Done 1", "Done 2"]
    assert len(first) == catalog.PAGE_SIZE + 1
    assert draft not in first
    # A page that ended among the open ones goes on with them, then the rest.
    after_open = catalog.programs_page(member, catalog.ListCursor.at(first[0]))
    assert after_open[:3] == [first[1], first[2], first[3]]
    # A page that ended in the rest goes on from there, never back to the open ones.
    last = first[catalog.PAGE_SIZE - 1]
    rest = catalog.programs_page(member, catalog.ListCursor.at(last))
    assert rest[0] == first[catalog.PAGE_SIZE]
    assert not {p.status for p in rest} & {"open", "draft"}
    by_start = sorted(made["rest"], key=lambda p: (p.starts_on, p.id))
    assert walk(member) == made["open"][::-1] + by_start
    with_draft = sorted([*made["rest"], draft], key=lambda p: (p.starts_on, p.id))
    assert walk(staff) == made["open"][::-1] + with_draft  # drafts: staff only, in the rest


def walk(viewer) -> list:
    """Every program the viewer's list shows, page after page by each page's cursor."""
    shown, cursor = [], None
    while True:
        page = catalog.programs_page(viewer, cursor)
        shown += page[: catalog.PAGE_SIZE]
        if len(page) <= catalog.PAGE_SIZE:
            return shown
        assert len(shown) <= 200, "the pages go round in circles"
        cursor = catalog.ListCursor.at(page[catalog.PAGE_SIZE - 1])


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("in_request")
def test_the_list_reads_one_index_in_its_order_never_sorting_every_program():
    staff, member = person("maple", "staff"), person("ash")
    made = many_programs(staff)
    db.session.execute(text("ANALYZE"))
    in_rest = catalog.ListCursor.at(made["rest"][30])
    among_open = catalog.ListCursor.at(made["open"][1])
    for viewer in (member, staff):
        for after in (None, among_open, in_rest):
            plan = plan_of(viewer, after)
            assert ON_THE_INDEX.search(plan), plan
            assert "TEMP B-TREE" not in plan, plan
        assert RANGE_OF_THE_REST.search(plan_of(viewer, in_rest))


@pytest.mark.parametrize(
    "value",
    [
        "2027-01-04_12",  # the old cursor: no part
        "closed_2027-01-04_12",
        "open_2027-02-30_12",  # no such day
        "open_20270104_12",
        "open_20270104XY_12",  # Python 3.11 reads the day as 4 January: not a cursor's day
        "open_20270104_5_12",  # a part more
        "rest_2027-1-4_12",
        "rest_2027-01-04_",
        "rest_2027-01-04_1234567890123456789",  # 19 digits
        "rest_2027-01-04_١٢",  # digits, but not ASCII
        "rest_2027-01-04_12_3",
        "open",
        "",  # the first page
    ],
)
def test_a_cursor_not_of_the_list_is_read_as_none(value):
    assert catalog.read_list_cursor(value) is None


def test_a_cursor_reads_back_as_it_was_written():
    from datetime import date

    for in_rest in (False, True):
        cursor = catalog.ListCursor(in_rest, date(2027, 1, 4), 12)
        assert str(cursor) == ("rest" if in_rest else "open") + "_2027-01-04_12"
        assert catalog.read_list_cursor(str(cursor)) == cursor


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("in_request")
def test_the_migrations_make_the_list_index_on_the_expression_the_list_sorts_by():
    # SQLite cannot reflect an index on an expression (test_schema's comparison skips it
    # there): its own SQL says what it is.
    made = db.session.scalar(
        text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
        {"name": "ix_programs_open_first"},
    )
    assert made is not None
    written = re.sub(r"\s+", " ", made)
    assert re.fullmatch(
        r"CREATE INDEX ix_programs_open_first ON programs \(\(status <> 'open'\), starts_on, id\)",
        written,
    ), written
