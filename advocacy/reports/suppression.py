"""Small numbers hidden so that no report can point at a person: pure functions, no database.

The rule (DESIGN §3, issue 13):

- a count of 1 to 4 is hidden and shows as "fewer than 5"; 0 and 5 or more show as they are;
- complementary (secondary) cell suppression, the standard companion of the small-number
  rule in statistical disclosure control (Hundepool et al., *Statistical Disclosure
  Control*, Wiley 2012, on primary and secondary cell suppression and the audit of a
  suppression pattern): the measures of a tied group (named by services.Group.items) can
  be bound by identities within one row, like requests = places given + waits in a month
  when nobody moved up from the waiting list. Within the tied group of a row, never
  exactly one cell is hidden: when one is, another is withheld, and more until the audit
  below finds that no hidden cell can be worked out. The cell withheld is the smallest
  one shown (the leftmost of equals) whose withholding is enough; when none is enough
  alone, the smallest, and the search goes on. A withheld cell shows as "not shown", never
  as "fewer than 5": it holds 0 or 5 or more. When even withholding every cell of the
  group would leave a hidden cell workable out, the whole group of that row shows "not
  shown" (its cells may then hold any number, small ones too);
- a total shows the sum of the cells it covers that are shown, and only those: marked
  "at least" when it covers a hidden or withheld cell. A total is made from shown cells
  alone, so it tells nothing the rows do not; and a row is suppressed from its own counts
  alone, so a month reads the same in every report that covers it.

The audit (open_cells) assumes a reader who knows every number shown, that "fewer than 5"
means 1 to 4 and "not shown" 0 or 5 or more, and, all at once, every identity sum(A) =
sum(B) (A and B disjoint sets of the group's cells) that the row's true counts satisfy and
that the things counted could have made (identities). Each tie counting.py makes between
measures counts a request or a report once per measure, so it is one of these; taking
them all also covers ties that hold by chance. A hidden cell must keep two or more
possible values. A Figure holds only what may be shown: a hidden or withheld cell's count
is not in it, so no template or CSV writer can let it out by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from math import gcd

from flask_babel import lazy_gettext as _l

# Counts from 1 up to HIDDEN_BELOW - 1 are hidden.
HIDDEN_BELOW = 5
SMALL = range(1, HIDDEN_BELOW)
# How far from its count the audit tries other values of a withheld cell. A reader may try
# any: looking nearer finds fewer values, so it can only withhold more, never less.
SEARCH = 12


@dataclass(frozen=True)
class Figure:
    """A number as a report shows it.

    `value` is the count (a shown cell), None for a hidden or withheld cell, or for a total
    the sum of the shown cells it covers; `at_least` marks a total that covers a cell not
    shown; `withheld` marks a cell not shown so that a small one beside it stays hidden;
    `covers_withheld` a total that covers a withheld cell.
    """

    value: int | None
    at_least: bool = False
    withheld: bool = False
    covers_withheld: bool = False

    @property
    def hidden(self) -> bool:
        """Whether the cell's count is not shown (small, or withheld)."""
        return self.value is None

    @property
    def small(self) -> bool:
        """Whether the cell is hidden by the small-number rule ("fewer than 5")."""
        return self.value is None and not self.withheld

    def text(self) -> str:
        """Say the figure: "12", "fewer than 5", "not shown" or "at least 12"; a total with
        nothing shown to add says "fewer than 5 each, not added up" when every cell it covers
        is small (or 0), "not shown" when one of them is withheld."""
        if self.withheld:
            return str(_l("not shown"))
        if self.value is None:
            return str(_l("fewer than %(n)s", n=HIDDEN_BELOW))
        if self.at_least and self.value == 0:
            if self.covers_withheld:
                return str(_l("not shown"))
            return str(_l("fewer than %(n)s each, not added up", n=HIDDEN_BELOW))
        if self.at_least:
            return str(_l("at least %(n)s", n=self.value))
        return str(self.value)


WITHHELD = Figure(None, withheld=True)


def cell(count: int) -> Figure:
    """Return how one count shows on its own: hidden when 1 to 4, else itself.

    A count below 0 (a correction of attendance counted before counting began) shows as 0.
    """
    count = max(count, 0)
    return Figure(None) if count in SMALL else Figure(count)


def total(cells: Iterable[Figure]) -> Figure:
    """Return the total of shown cells: their sum, "at least" when any cell is not shown."""
    cells = list(cells)
    return Figure(
        sum(c.value for c in cells if c.value is not None),
        at_least=any(c.hidden for c in cells),
        covers_withheld=any(c.withheld for c in cells),
    )


@dataclass(frozen=True)
class Shown:
    """A table as a report shows it: rows of cells and a total per column."""

    rows: list[list[Figure]]
    totals: list[Figure]


def suppress(
    rows: Sequence[Sequence[int]], columns: int, items: Sequence[Sequence[int]] = ()
) -> Shown:
    """Return the table of counts (rows × `columns`) with small counts hidden, cells of the
    tied group withheld as the module says, and a total for each column made from its shown
    cells (no rows: totals of 0).

    `items`: what one thing counted (a request, a report) can add to within one row, each a
    tuple of column indices; the columns they name are the tied group (none: no ties).
    """
    if any(len(row) != columns for row in rows):
        raise ValueError(f"every row must have {columns} counts")
    group = tuple(sorted({column for item in items for column in item}))
    steps = tuple(tuple(group.index(column) for column in item) for item in items)
    shown = [protected(row, group, steps) for row in rows]
    return Shown(shown, [total(row[column] for row in shown) for column in range(columns)])


def protected(
    counts: Sequence[int], group: tuple[int, ...], items: tuple[tuple[int, ...], ...]
) -> list[Figure]:
    """Return one row's figures: small counts hidden, then cells of the tied group (columns
    `group`; `items` as positions in it) withheld until safe()."""
    counts = [max(count, 0) for count in counts]
    figures = [cell(count) for count in counts]
    tied = tuple(counts[i] for i in group)

    def states(figures: list[Figure]) -> tuple[str, ...]:
        return tuple(
            "small" if figures[i].small else "withheld" if figures[i].withheld else "shown"
            for i in group
        )

    while not safe(tied, states(figures), items):
        shown = sorted((i for i in group if not figures[i].hidden), key=lambda i: (counts[i], i))
        if not shown:
            # Withholding more cannot help: nothing of the group is said for this row.
            return [WITHHELD if i in group else figure for i, figure in enumerate(figures)]
        enough = (i for i in shown if safe(tied, states(withholding(figures, i)), items))
        figures = withholding(figures, next(enough, shown[0]))
    return figures


def withholding(figures: list[Figure], index: int) -> list[Figure]:
    """Return the figures with one more cell withheld."""
    return [WITHHELD if i == index else figure for i, figure in enumerate(figures)]


def safe(
    counts: tuple[int, ...], state: tuple[str, ...], items: tuple[tuple[int, ...], ...]
) -> bool:
    """Whether the tied group's row (`state` of each cell: "shown", "small", "withheld")
    hides nothing, or hides two or more cells and every small one keeps two or more
    possible values (open_cells)."""
    not_shown = sum(s != "shown" for s in state)
    if not_shown == 0:
        return True
    return not_shown > 1 and open_cells(counts, state, items)


@lru_cache(maxsize=4096)
def identities(
    counts: tuple[int, ...], items: tuple[tuple[int, ...], ...]
) -> tuple[tuple[int, ...], ...]:
    """Return a basis of every identity sum(A) = sum(B), A and B disjoint sets of cells,
    each as its coefficients (1 for A, -1 for B, 0 elsewhere), that the counts satisfy and
    that could hold: every cell counted (not 0) is in some item that keeps the identity
    (an item adding as much to A as to B). Things counted only as items that break an
    identity could not have made counts that keep it, so a reader cannot know it."""
    basis: dict[int, list[int]] = {}  # pivot column -> row, 0 at the pivots before it
    # Beside counts that are not all 0, at most len(counts) - 1 identities are independent.
    most = len(counts) - 1 if any(counts) else len(counts)
    for signs in product((-1, 0, 1), repeat=len(counts)):
        if len(basis) == most:
            break
        if sum(s * c for s, c in zip(signs, counts, strict=True)) != 0:
            continue
        keeping = [item for item in items if sum(signs[i] for i in item) == 0]
        if any(c and not any(i in item for item in keeping) for i, c in enumerate(counts)):
            continue
        row = list(signs)
        for pivot, known in basis.items():
            if row[pivot]:
                row = [known[pivot] * a - row[pivot] * b for a, b in zip(row, known, strict=True)]
        if any(row):
            divisor = gcd(*row)
            basis[next(i for i, a in enumerate(row) if a)] = [a // divisor for a in row]
    return tuple(tuple(row) for row in basis.values())


def echelon(rows: list[list[int]], columns: int) -> tuple[list[list[int]], list[int]]:
    """Return the rows in reduced row echelon form, in whole numbers (each row's pivot need
    not be 1, every other row is 0 in its column), pivots taken from the left among the
    first `columns` columns (any after them, like a right-hand side, are carried along),
    rows left with no pivot dropped; and each row's pivot column."""
    rows = [list(row) for row in rows]
    pivots: list[int] = []
    top = 0
    for column in range(columns):
        found = next((r for r in range(top, len(rows)) if rows[r][column]), None)
        if found is None:
            continue
        rows[top], rows[found] = rows[found], rows[top]
        lead = rows[top]
        for r, row in enumerate(rows):
            if r != top and row[column]:
                row = [lead[column] * a - row[column] * b for a, b in zip(row, lead, strict=True)]
                rows[r] = [a // (gcd(*row) or 1) for a in row]
        pivots.append(column)
        top += 1
    return rows[:top], pivots


def possible(value: int, state: str) -> bool:
    """Whether a cell reading "fewer than 5" ("small") or "not shown" may hold `value`."""
    return value in SMALL if state == "small" else value == 0 or value >= HIDDEN_BELOW


def tried(count: int, state: str) -> list[int]:
    """Return the values the audit tries for a free cell: 1 to 4 for "fewer than 5"; 0 and
    5 or more, within SEARCH of its count, for "not shown"."""
    if state == "small":
        return list(SMALL)
    return [0, *range(max(HIDDEN_BELOW, count - SEARCH), count + SEARCH + 1)]


@lru_cache(maxsize=4096)
def open_cells(
    counts: tuple[int, ...], state: tuple[str, ...], items: tuple[tuple[int, ...], ...]
) -> bool:
    """Whether every "small" cell can hold two or more values, given the "shown" cells,
    what "small" and "withheld" cells may hold (possible) and identities(counts, items).

    The unknown cells, withheld first, are solved for in terms of free ones (reduced row
    echelon form, in whole numbers: pivot × cell = right side − Σ coefficient × free cell),
    and every choice of the free ones is tried until each small cell has been seen with
    two values.
    """
    unknown = sorted(
        (i for i, s in enumerate(state) if s != "shown"), key=lambda i: state[i] != "withheld"
    )
    system = [
        [row[i] for i in unknown] + [sum(row[i] * counts[i] for i in unknown)]
        for row in identities(counts, items)
    ]
    rows, pivots = echelon(system, len(unknown))
    free = [k for k in range(len(unknown)) if k not in pivots and any(row[k] for row in rows)]
    # A small cell in no identity can hold any of 1 to 4.
    seen: dict[int, set[int]] = {k: set() for k in [*pivots, *free] if state[unknown[k]] == "small"}
    if not seen:
        return True
    choices = [tried(counts[unknown[k]], state[unknown[k]]) for k in free]
    for values in product(*choices):
        chosen = dict(zip(free, values, strict=True))
        for row, pivot in zip(rows, pivots, strict=True):
            value, left = divmod(row[-1] - sum(row[k] * v for k, v in chosen.items()), row[pivot])
            if left or not possible(value, state[unknown[pivot]]):
                break
            chosen[pivot] = value
        else:
            for k in seen:
                seen[k].add(chosen[k])
            if all(len(values) > 1 for values in seen.values()):
                return True
    return False
