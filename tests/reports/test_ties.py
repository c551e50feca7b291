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

Months add up, too (the security review): from the first month to any month, reports
decided never exceed reports filed, and completions + withdrawals + declines never exceed
requests, nor completions places given. A reader who reads a program's months side by side
with these limits must still find two possible values for every "fewer than 5", and a
month reads the same in every report that covers it, whatever month the report starts at.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.reports import services
from tests.support.properties import PROPERTY_SETTINGS
from tests.support.report_activity import (
    LIMITS,
    PLACES,
    REPORTS,
    SMALL,
    Month,
    Program,
    StoryReports,
    history_values,
    identities,
    possible_values,
)

F, N = "fewer than 5", "not shown"
MONTHS = [date(2026, month, 1) for month in range(1, 13)]


def group(key: str) -> services.Group:
    return next(g for g in services.PROGRAM_GROUPS + services.SITE_GROUPS if g.key == key)


def said(key: str, rows: list[list[int]], start: int = 0) -> tuple[list[list[str]], list[str]]:
    """What the report's table for the group says for these monthly rows (counted from
    January, the first month counted), over the months from `start`, and its totals."""
    table = services.table(
        {
            (MONTHS[m], measure): count
            for m, row in enumerate(rows)
            for measure, count in zip(group(key).measures, row, strict=True)
        },
        1,
        "A program",
        group(key),
        MONTHS[start : len(rows)],
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


def test_the_running_limits_are_these():
    assert {(frozenset(a), frozenset(b)) for a, b in group("story_reports").limits} >= {
        (frozenset(a), frozenset(b)) for a, b in LIMITS[REPORTS]
    }
    assert {(frozenset(a), frozenset(b)) for a, b in group("places").limits} >= {
        (frozenset(a), frozenset(b)) for a, b in LIMITS[PLACES]
    }


def test_story_reports_decided_later_cannot_give_away_a_small_count():
    # The review's case: 7 filed in February, 1 kept up then, 6 kept up in March. Shown as
    # is, 7 filed in all would force February's kept-up to 7 - 6 - 0 = 1; so March withholds
    # its 6 and its 0 filed (2 kept up in February and 5 in March fit as well).
    rows, totals = said("story_reports", [[0, 0, 0], [7, 1, 0], [0, 6, 0]])
    assert rows == [["0", "0", "0"], ["7", F, N], [N, N, "0"]]
    assert totals == ["at least 7", N, N]
    # The same months in a report that starts in March, or in February.
    assert said("story_reports", [[0, 0, 0], [7, 1, 0], [0, 6, 0]], 2)[0] == [[N, N, "0"]]
    assert said("story_reports", [[0, 0, 0], [7, 1, 0], [0, 6, 0]], 1)[0] == rows[1:]


def test_completions_later_cannot_give_away_a_small_withdrawal():
    # The review's case: 6 asked and given a place in January, 1 withdrawal in March, 5
    # completions in June. Shown as is, completions + withdrawals <= requests would force
    # March's withdrawal to 6 - 5 = 1; so June withholds its completions and its requests.
    history = [
        [6, 6, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 5],
    ]
    rows, totals = said("places", history)
    assert rows == [
        ["6", "6", "0", "0", "0", "0"],
        ["0", "0", "0", "0", "0", "0"],
        [N, "0", "0", "0", F, "0"],
        ["0", "0", "0", "0", "0", "0"],
        ["0", "0", "0", "0", "0", "0"],
        [N, "0", "0", "0", "0", N],
    ]
    # March's withdrawal is the only one: its total says "fewer than 5", as the row does.
    assert totals == ["at least 6", "6", "0", "0", F, N]
    assert said("places", history, 5)[0] == [[N, "0", "0", "0", "0", N]]


def test_meetings_and_stories_have_no_ties_so_a_small_count_stands_alone():
    assert said("program_meetings", [[2, 9]])[0] == [[F, "9"]]
    assert said("stories", [[12, 3, 7]])[0] == [["12", F, "7"]]


# Whole histories: a few months each, with little in each, so that what a month leaves
# open is often settled by the months after it.
HISTORIES = settings(PROPERTY_SETTINGS, max_examples=1000)

# Activity drawn at random: asking, deciding, withdrawing, leaving, completing.
PLACE_ACTIONS = st.sampled_from(
    ["ask"] * 5 + ["approve", "decline", "withdraw", "withdraw", "leave", "complete", "complete"]
)


@st.composite
def program_months(draw) -> tuple[Program, list[Month]]:
    program = Program(needs_approval=draw(st.booleans()), capacity=draw(st.integers(1, 7)))
    months = [Month() for _ in range(draw(st.integers(1, 5)))]
    for month in months:
        for action, pick in draw(
            st.lists(
                st.tuples(PLACE_ACTIONS, st.integers(0, 30)),
                max_size=draw(st.sampled_from([3, 8, 16])),
            )
        ):
            program.step(action, pick, month)
    if draw(st.booleans()):  # the program ends: every request ends in the last month
        for request, status in list(program.places.items()):
            action = {"confirmed": draw(st.sampled_from(["complete", "withdraw"]))}
            program.step(action.get(status, "withdraw"), 0, months[-1], request)
    return program, months


@st.composite
def report_months(draw) -> list[Month]:
    reports = StoryReports()
    months = [Month() for _ in range(draw(st.integers(1, 5)))]
    actions = st.sampled_from(["file", "file", "file", "keep", "remove"])
    stories = st.integers(0, draw(st.sampled_from([0, 2, 8])))
    for month in months:
        for action, story in draw(
            st.lists(st.tuples(actions, stories), max_size=draw(st.sampled_from([3, 8, 14])))
        ):
            reports.step(action, story, month)
    if draw(st.booleans()):  # every report open is decided in the last month
        for story in list(reports.open):
            reports.step(draw(st.sampled_from(["keep", "remove"])), story, months[-1])
    return months


def check(key: str, months: list[Month]) -> None:
    """Every rule of the module docstring, for every month's row and the totals; a reader
    who knows every identity each month's activity makes works out no small cell from its
    row, nor, adding up the months with the running limits, from the whole history; and
    every report starting at a later month shows those months the same."""
    measures = group(key).measures
    truth = [[month.counts[m] for m in measures] for month in months]
    rows, totals = said(key, truth)
    rules = [identities(month.fragments, measures) for month in months]
    for counts, texts, month_rules in zip(truth, rows, rules, strict=True):
        withheld_row = all(text == N for text in texts)
        for count, text in zip(counts, texts, strict=True):
            if count in SMALL:
                assert text == F or (text == N and withheld_row)
            else:
                assert text in (str(count), N)
        not_shown = [i for i, text in enumerate(texts) if text in (F, N)]
        assert len(not_shown) != 1, (counts, texts)
        assert all(
            sum(r * c for r, c in zip(rule, counts, strict=True)) == 0 for rule in month_rules
        )
        small = {i for i in not_shown if counts[i] in SMALL}
        found = possible_values(counts, texts, month_rules, small)
        for i in small:
            assert len(found[i]) > 1, (counts, texts, measures[i], found[i])
    for (m, i), other in history_values(truth, rows, rules, measures).items():
        assert other, (truth, rows, m, measures[i])
    for start in range(1, len(truth)):
        assert said(key, truth, start)[0] == rows[start:]
    for column, text in enumerate(totals):
        shown = [int(row[column]) for row in rows if row[column] not in (F, N)]
        if len(shown) == len(rows):
            assert text == str(sum(shown))
        elif sum(shown):
            assert text == f"at least {sum(shown)}"
        elif any(row[column] == N for row in rows):  # nothing shown to add up
            assert text == N
        elif sum(row[column] == F for row in rows) == 1:  # one small count, the rest 0
            assert text == F
        else:
            assert text == "fewer than 5 each, not added up"


@HISTORIES
@given(program_months())
def test_no_count_of_places_can_be_worked_out(activity):
    _program, months = activity
    check("places", months)


@HISTORIES
@given(report_months())
def test_no_count_of_story_reports_can_be_worked_out(months):
    check("story_reports", months)
