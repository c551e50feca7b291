"""No hidden cell can be worked out from the numbers beside it (issue 13, complementary cell
suppression).

The measures of one row can be tied: a request is counted as asked and, at once, as given a
place or put on the waiting list, so in a month where nobody moved up and nothing was held
for a decision, requests = places given + waits; a report is filed and later decided, so
reports = kept up + taken down when all were decided within the month. The rule, written
here from the issue and standard statistical disclosure control: within the tied measures
of a row (a program's places, the site's story reports) never exactly one cell is not
shown; when one is small ("fewer than 5"), another is withheld ("not shown": it holds 0 or
5 or more, never "fewer than 5"), the smallest shown one whose withholding is enough, or
the smallest and then more, until no small cell has a single possible value; when even
that cannot be, the group's row is all "not shown". Totals add only shown cells.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy.reports import services
from tests.support.properties import PROPERTY_SETTINGS
from tests.support.report_activity import (
    PLACES,
    REPORTS,
    SMALL,
    Month,
    Program,
    StoryReports,
    identities,
    possible_values,
)

F, N = "fewer than 5", "not shown"
MONTHS = [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]


def group(key: str) -> services.Group:
    return next(g for g in services.PROGRAM_GROUPS + services.SITE_GROUPS if g.key == key)


def said(key: str, rows: list[list[int]]) -> tuple[list[list[str]], list[str]]:
    """What the report's table for the group says for these monthly rows, and its totals."""
    table = services.table(
        {
            (MONTHS[m], measure): count
            for m, row in enumerate(rows)
            for measure, count in zip(group(key).measures, row, strict=True)
        },
        1,
        "A program",
        group(key),
        MONTHS[: len(rows)],
    )
    return (
        [[figure.text() for figure in row] for row in table.shown.rows],
        [figure.text() for figure in table.shown.totals],
    )


def test_the_groups_count_these_measures_in_this_order():
    assert group("places").measures == PLACES
    assert group("story_reports").measures == REPORTS


# Places: requests, places given, waits, declines, withdrawals, completions.
@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # The reviewer's case: 7 = 3 + 4 and both small: each could be 3 or 4.
        ([7, 3, 4, 0, 0, 0], ["7", F, F, "0", "0", "0"]),
        # 12 = 9 + 3: the 3 alone would be 12 - 9; the 9 goes (smallest shown that is
        # enough: 0s are known to be 0), and 9 + 3 = 12 could be 8 + 4 ... 11 + 1.
        ([12, 9, 3, 0, 0, 0], ["12", N, F, "0", "0", "0"]),
        # 6 = 1 + 5: withholding the 5 leaves 5 + 1 as the only way to 6 (a "not shown" is
        # 0 or 5 and more), so the 6 goes instead: 6 to 9 minus 5.
        ([6, 1, 5, 0, 0, 0], [N, F, "5", "0", "0", "0"]),
        # 8 = 6 + 2 (as the scenario of test_counts_survive's first month).
        ([8, 6, 2, 0, 0, 0], ["8", N, F, "0", "0", "0"]),
        # Two small cells no identity ties: nothing more to withhold.
        ([0, 1, 0, 0, 2, 6], ["0", F, "0", "0", F, "6"]),
        # A small cell alone, tied to nothing shown: still never alone; the smallest shown
        # (the first 0) is withheld.
        ([0, 2, 0, 0, 0, 0], [N, F, "0", "0", "0", "0"]),
        ([20, 15, 5, 0, 0, 0], ["20", "15", "5", "0", "0", "0"]),
        # 4 = 2 + 1 + 1 and 2 = 1 + 1 (approval: asked, one waited, two approved, one
        # declined; one completed, one withdrew, all within the month): only 4, 2, 1, 1, 1, 1
        # fits, withheld or not, so nothing of the row is said.
        ([4, 2, 1, 1, 1, 1], [N, N, N, N, N, N]),
    ],
)
def test_a_row_of_places_shows_exactly_this(counts, shown):
    assert said("places", [counts])[0] == [shown]


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([5, 2, 3], ["5", F, F]),
        ([6, 1, 5], [N, F, "5"]),
        ([9, 0, 0], ["9", "0", "0"]),
        ([0, 3, 0], [N, F, "0"]),
    ],
)
def test_a_row_of_story_reports_shows_exactly_this(counts, shown):
    assert said("story_reports", [counts])[0] == [shown]


def test_totals_add_only_shown_cells_and_withheld_ones_are_left_out():
    rows, totals = said("places", [[7, 3, 4, 0, 0, 0], [12, 9, 3, 0, 0, 0], [20, 15, 5, 0, 0, 0]])
    assert rows == [
        ["7", F, F, "0", "0", "0"],
        ["12", N, F, "0", "0", "0"],
        ["20", "15", "5", "0", "0", "0"],
    ]
    # 7 + 12 + 20; only 15 of the places given is shown (the withheld 9 is not in it).
    assert totals == ["39", "at least 15", "at least 5", "0", "0", "0"]


def test_meetings_and_stories_have_no_ties_so_a_small_count_stands_alone():
    assert said("program_meetings", [[2, 9]])[0] == [[F, "9"]]
    assert said("stories", [[12, 3, 7]])[0] == [["12", F, "7"]]


# Activity drawn at random: asking, deciding, withdrawing, leaving, completing.
PLACE_ACTIONS = st.sampled_from(
    ["ask"] * 5 + ["approve", "decline", "withdraw", "withdraw", "leave", "complete", "complete"]
)


@st.composite
def program_months(draw) -> tuple[Program, list[Month]]:
    program = Program(needs_approval=draw(st.booleans()), capacity=draw(st.integers(1, 7)))
    months = [Month() for _ in range(draw(st.integers(1, 3)))]
    for month in months:
        for action, pick in draw(
            st.lists(st.tuples(PLACE_ACTIONS, st.integers(0, 30)), max_size=16)
        ):
            program.step(action, pick, month)
    return program, months


@st.composite
def report_months(draw) -> list[Month]:
    reports = StoryReports()
    months = [Month() for _ in range(draw(st.integers(1, 3)))]
    actions = st.sampled_from(["file", "file", "file", "keep", "remove"])
    for month in months:
        for action, story in draw(st.lists(st.tuples(actions, st.integers(0, 2)), max_size=14)):
            reports.step(action, story, month)
    return months


def check(key: str, months: list[Month]) -> None:
    """Every rule of the module docstring, for every month's row and the totals; and a
    reader who knows every identity the month's activity makes works out no small cell."""
    measures = group(key).measures
    truth = [[month.counts[m] for m in measures] for month in months]
    rows, totals = said(key, truth)
    for counts, texts, month in zip(truth, rows, months, strict=True):
        withheld_row = all(text == N for text in texts)
        for count, text in zip(counts, texts, strict=True):
            if count in SMALL:
                assert text == F or (text == N and withheld_row)
            else:
                assert text in (str(count), N)
        not_shown = [i for i, text in enumerate(texts) if text in (F, N)]
        assert len(not_shown) != 1, (counts, texts)
        rules = identities(month.fragments, measures)
        assert all(sum(r * c for r, c in zip(rule, counts, strict=True)) == 0 for rule in rules)
        small = {i for i in not_shown if counts[i] in SMALL}
        found = possible_values(counts, texts, rules, small)
        for i in small:
            assert len(found[i]) > 1, (counts, texts, measures[i], found[i])
        # A month reads the same in a report of it alone.
        assert said(key, [counts])[0] == [texts]
    for column, text in enumerate(totals):
        shown = [int(row[column]) for row in rows if row[column] not in (F, N)]
        if len(shown) == len(rows):
            assert text == str(sum(shown))
        elif sum(shown):
            assert text == f"at least {sum(shown)}"
        else:  # nothing shown to add up
            withheld = any(row[column] == N for row in rows)
            assert text == (N if withheld else "fewer than 5 each, not added up")


@PROPERTY_SETTINGS
@given(program_months())
def test_no_count_of_places_can_be_worked_out(activity):
    _program, months = activity
    check("places", months)


@PROPERTY_SETTINGS
@given(report_months())
def test_no_count_of_story_reports_can_be_worked_out(months):
    check("story_reports", months)
