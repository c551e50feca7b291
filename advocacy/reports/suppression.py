"""Small numbers hidden so that no report can point at a person: pure functions, no database.

The rule (DESIGN §3, issue 13):

- a count of 1 to 4 is hidden and shows as "fewer than 5"; 0 and 5 or more show as they are;
- a total shows the sum of the cells it covers that are shown, and only those: marked
  "at least" when it covers a hidden cell. A total never includes a hidden cell, so no
  hidden cell can be worked out by taking the shown numbers from a total (complementary
  suppression: whatever 1 to 4 each hidden cell holds, the report reads the same).

A Figure holds only what may be shown: a hidden cell's count is not in it, so no template
or CSV writer can let it out by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Counts from 1 up to HIDDEN_BELOW - 1 are hidden.
HIDDEN_BELOW = 5


@dataclass(frozen=True)
class Figure:
    """A number as a report shows it.

    `value` is the count (a shown cell), None for a hidden cell, or for a total the sum of
    the shown cells it covers; `at_least` marks a total that covers a hidden cell.
    """

    value: int | None
    at_least: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None

    def text(self) -> str:
        """Say the figure: "12", "fewer than 5" or "at least 12"; a total with nothing shown
        to add (each cell it covers hidden or 0) says "fewer than 5 each, not added up"."""
        if self.value is None:
            return str(_l("fewer than %(n)s", n=HIDDEN_BELOW))
        if self.at_least and self.value == 0:
            return str(_l("fewer than %(n)s each, not added up", n=HIDDEN_BELOW))
        if self.at_least:
            return str(_l("at least %(n)s", n=self.value))
        return str(self.value)


def cell(count: int) -> Figure:
    """Return how one count shows: hidden when 1 to 4, else itself.

    A count below 0 (a correction of attendance counted before counting began) shows as 0.
    """
    count = max(count, 0)
    return Figure(None) if 0 < count < HIDDEN_BELOW else Figure(count)


def total(cells: Iterable[Figure]) -> Figure:
    """Return the total of shown cells: their sum, "at least" when any cell is hidden."""
    cells = list(cells)
    return Figure(
        sum(c.value for c in cells if c.value is not None),
        at_least=any(c.hidden for c in cells),
    )


@dataclass(frozen=True)
class Shown:
    """A table as a report shows it: rows of cells and a total per column."""

    rows: list[list[Figure]]
    totals: list[Figure]


def suppress(rows: Sequence[Sequence[int]], columns: int) -> Shown:
    """Return the table of counts (rows × `columns`) with small counts hidden and a total
    for each column made from its shown cells (a table with no rows totals 0 each)."""
    shown = [[cell(count) for count in row] for row in rows]
    if any(len(row) != columns for row in shown):
        raise ValueError(f"every row must have {columns} counts")
    return Shown(shown, [total(row[column] for row in shown) for column in range(columns)])
