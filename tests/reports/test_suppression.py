"""Small numbers hidden so no report points at a person (issue 13, DESIGN §3 Staff tools).

The rule, written here from the issue: a count of 1 to 4 shows as "fewer than 5"; 0 and 5
or more show as they are; every total shows the sum of the shown cells it covers, and
only those, marked "at least" when it covers a hidden cell; so no hidden cell can be
worked out from the numbers shown. A total with nothing shown to add (every cell it covers
hidden, or 0) says so, never "at least 0" (issue 13, newcomer's try): "fewer than 5" when
it covers one hidden count and the rest are 0 (the total is that count), "fewer than 5
each, not added up" when it covers two or more (their sum could be 5 or more).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy.reports.suppression import Figure, cell, suppress, total
from tests.support.properties import PROPERTY_SETTINGS

FEWER = "fewer than 5"
NOT_ADDED = "fewer than 5 each, not added up"
SHOWN_TEXT = re.compile(r"(at least )?([0-9]+)")


def texts(rows: list[list[Figure]]) -> list[list[str]]:
    return [[figure.text() for figure in row] for row in rows]


def everything_said(rows: list[list[int]], columns: int) -> tuple:
    shown = suppress(rows, columns)
    return texts(shown.rows), [figure.text() for figure in shown.totals]


def test_one_to_four_is_fewer_than_5_and_zero_and_five_up_show():
    assert [cell(n).text() for n in range(8)] == [
        "0",
        FEWER,
        FEWER,
        FEWER,
        FEWER,
        "5",
        "6",
        "7",
    ]
    assert cell(1234).text() == "1234"


def test_a_hidden_cell_keeps_no_trace_of_its_count():
    assert [cell(n) for n in (1, 2, 3, 4)] == [Figure(None)] * 4
    assert all(cell(n).hidden for n in (1, 2, 3, 4))
    assert not any(cell(n).hidden for n in (0, 5))


def test_a_count_below_zero_shows_as_zero():
    assert cell(-3).text() == "0"
    assert not cell(-3).hidden


def test_a_fixed_table_shows_exactly_this():
    # Months down, four measures across.
    rows = [
        [0, 3, 12, 5],
        [7, 4, 5, 6],
        [2, 0, 1, 0],
    ]
    assert everything_said(rows, 4) == (
        [
            ["0", FEWER, "12", "5"],
            ["7", FEWER, "5", "6"],
            [FEWER, "0", FEWER, "0"],
        ],
        # 0+7 shown beside a hidden 2; only hidden counts (3, 4) and a 0; 12+5 beside a
        # hidden 1; nothing hidden: exact.
        ["at least 7", NOT_ADDED, "at least 17", "11"],
    )


def test_one_hidden_cell_under_an_exact_total_would_give_it_away():
    # The case complementary suppression exists for: 5 + 3 = 8 would tell the 3.
    assert everything_said([[5], [3]], 1) == ([["5"], [FEWER]], ["at least 5"])


def test_a_table_with_no_months_totals_zero():
    assert everything_said([], 2) == ([], ["0", "0"])


def test_a_total_with_nothing_shown_to_add_says_so_never_at_least_0():
    for cells in ([cell(1), cell(4)], [cell(0), cell(2), cell(2)], [cell(4)] * 3):
        assert total(cells).text() == "fewer than 5 each, not added up"
    for cells in ([cell(1), cell(4)], [cell(3)], [cell(2), cell(0), cell(0)]):
        assert "at least" not in total(cells).text()


def test_a_total_of_one_small_count_and_zeros_is_fewer_than_5_as_the_count_is():
    # The total is the one count itself: "each, not added up" would speak of others.
    for cells in ([cell(3)], [cell(2), cell(0), cell(0)], [cell(0), cell(0), cell(1)]):
        assert total(cells).text() == "fewer than 5"
    # Nothing hidden, nothing counted: a plain 0 still.
    assert total([cell(0), cell(0)]).text() == "0"


def test_a_total_of_shown_cells_only_is_exact():
    assert total([cell(0), cell(5), cell(40)]).text() == "45"
    assert total([cell(5), cell(4)]).text() == "at least 5"


def test_rows_must_have_every_column():
    with pytest.raises(ValueError, match="every row must have 2 counts"):
        suppress([[1, 2], [3]], 2)


# Small counts are the interesting ones: draw them often, and sometimes large ones.
COUNTS = st.one_of(st.integers(0, 6), st.integers(0, 500))


@st.composite
def monthly_tables(draw) -> tuple[list[list[int]], int]:
    columns = draw(st.integers(1, 6))
    months = draw(st.integers(0, 12))
    rows = draw(
        st.lists(
            st.lists(COUNTS, min_size=columns, max_size=columns),
            min_size=months,
            max_size=months,
        )
    )
    return rows, columns


@PROPERTY_SETTINGS
@given(monthly_tables())
def test_every_number_shown_is_a_sum_of_shown_cells_and_every_hidden_cell_is_1_to_4(table):
    rows, columns = table
    shown = suppress(rows, columns)
    for row, figures in zip(rows, shown.rows, strict=True):
        for count, figure in zip(row, figures, strict=True):
            if figure.hidden:
                assert 1 <= count <= 4
                assert figure.text() == FEWER
            else:
                assert not 1 <= count <= 4
                assert figure.text() == str(count)
    for column, figure in enumerate(shown.totals):
        counts = [row[column] for row in rows]
        shown_counts = [n for n in counts if not 1 <= n <= 4]
        covers_hidden = len(shown_counts) < len(counts)
        if covers_hidden and sum(shown_counts) == 0:
            hidden = len(counts) - len(shown_counts)
            assert figure.text() == (FEWER if hidden == 1 else NOT_ADDED)
            continue
        match = SHOWN_TEXT.fullmatch(figure.text())
        assert match is not None, figure.text()
        assert int(match.group(2)) == sum(shown_counts)
        assert bool(match.group(1)) == covers_hidden


@PROPERTY_SETTINGS
@given(monthly_tables())
def test_no_hidden_cell_can_be_worked_out(table):
    """Whatever 1 to 4 any hidden cell holds, the table says exactly the same."""
    rows, columns = table
    said = everything_said(rows, columns)
    for r, row in enumerate(rows):
        for c, count in enumerate(row):
            if not 1 <= count <= 4:
                continue
            for other in {1, 2, 3, 4} - {count}:
                changed = [list(each) for each in rows]
                changed[r][c] = other
                assert everything_said(changed, columns) == said
