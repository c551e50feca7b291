"""Small numbers hidden so that no report can point at a person: pure functions, no database.

The rule (DESIGN §3, issue 13):

- a count of 1 to 4 is hidden and shows as "fewer than 5"; 0 and 5 or more show as they are;
- complementary (secondary) cell suppression, the standard companion of the small-number
  rule in statistical disclosure control (Hundepool et al., *Statistical Disclosure
  Control*, Wiley 2012, on primary and secondary cell suppression and the audit of a
  suppression pattern): the measures of a tied group (named by services.Group.items and
  Group.limits) are bound by identities within one row, like requests = places given +
  waits in a month when nobody moved up from the waiting list, and by running limits over
  months, like reports decided never exceeding reports filed. Within the tied group of a
  row, never exactly one cell is hidden: when one is, another is withheld, and more until
  the audit (audit.py within the row, history.py across months) finds that no hidden cell
  of this month or any month before can be worked out. The cell withheld is the smallest
  one shown (the leftmost of equals) whose withholding is enough; when none is enough
  alone, the smallest, and the search goes on. A withheld cell shows as "not shown", never
  as "fewer than 5": it holds 0 or 5 or more. When even withholding every cell of the
  group would leave a hidden cell workable out, the whole group of that row shows "not
  shown" (its cells may then hold any number, small ones too);
- months are decided one after another from the first month counted, each knowing how
  the months before it show (never changing them): so a month reads the same in every
  report that covers it, whatever months the report starts with;
- a total shows the sum of the cells it covers that are shown, and only those: marked
  "at least" when it covers a hidden or withheld cell. A total is made from shown cells
  alone, so it tells nothing the rows do not. With nothing shown to add: "not shown" when
  it covers a withheld cell; "fewer than 5" when it covers one small cell and the rest are
  0 (the total is that cell, which says as much); "fewer than 5 each, not added up" when
  it covers two or more (their sum may be 5 or more, and is not said).

A Figure holds only what may be shown: a hidden or withheld cell's count is not in it, so
no template or CSV writer can let it out by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from advocacy.reports.audit import HIDDEN_BELOW, SMALL, open_cells
from advocacy.reports.history import History


@dataclass(frozen=True)
class Figure:
    """A number as a report shows it.

    `value` is the count (a shown cell), None for a hidden or withheld cell, or for a total
    the sum of the shown cells it covers; `at_least` marks a total that covers a cell not
    shown; `withheld` marks a cell not shown so that a small one beside it stays hidden;
    `covers_withheld` a total that covers a withheld cell, `covers_small` how many small
    (hidden) cells it covers.
    """

    value: int | None
    at_least: bool = False
    withheld: bool = False
    covers_withheld: bool = False
    covers_small: int = 0

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
        nothing shown to add says "not shown" when a cell it covers is withheld, else
        (every cell small or 0) "fewer than 5" for one small cell, "fewer than 5 each, not
        added up" for more."""
        if self.withheld:
            return str(_l("not shown"))
        if self.value is None:
            return str(_l("fewer than %(n)s", n=HIDDEN_BELOW))
        if self.at_least and self.value == 0:
            if self.covers_withheld:
                return str(_l("not shown"))
            if self.covers_small == 1:
                return str(_l("fewer than %(n)s", n=HIDDEN_BELOW))
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
        covers_small=sum(c.small for c in cells),
    )


@dataclass(frozen=True)
class Shown:
    """A table as a report shows it: rows of cells and a total per column."""

    rows: list[list[Figure]]
    totals: list[Figure]


def suppress(
    rows: Sequence[Sequence[int]],
    columns: int,
    items: Sequence[Sequence[int]] = (),
    limits: Sequence[tuple[Sequence[int], Sequence[int]]] = (),
    first: int = 0,
) -> Shown:
    """Return the table of counts (rows × `columns`, a row a month, oldest first, from the
    first month counted) with small counts hidden, cells of the tied group withheld as the
    module says, from row `first` on, and a total for each column made from the shown cells
    of those rows (no rows: totals of 0). The rows before `first` are decided too, unshown:
    a month shows as it would in any report that covers it.

    `items`: what one thing counted (a request, a report) can add to within one row, each a
    tuple of column indices; `limits`: running limits (A, B), column indices whose sum from
    the first row to any row never exceeds the sum of B's. The columns they name are the
    tied group (none: no ties).
    """
    if any(len(row) != columns for row in rows):
        raise ValueError(f"every row must have {columns} counts")
    group = tuple(
        sorted({c for item in items for c in item} | {c for a, b in limits for c in (*a, *b)})
    )
    steps = tuple(tuple(group.index(column) for column in item) for item in items)
    history = History(
        steps,
        tuple(tuple((c in above) - (c in below) for c in group) for above, below in limits),
    )
    shown = [protected(row, group, history) for row in rows][first:]
    return Shown(shown, [total(row[column] for row in shown) for column in range(columns)])


def protected(counts: Sequence[int], group: tuple[int, ...], history: History) -> list[Figure]:
    """Return one month's figures: small counts hidden, then cells of the tied group
    (columns `group`) withheld until safe() within the row and history.open_with() across
    the months before it; add the month to `history` as shown."""
    counts = [max(count, 0) for count in counts]
    figures = [cell(count) for count in counts]
    tied = tuple(counts[i] for i in group)

    def states(figures: list[Figure]) -> tuple[str, ...]:
        return tuple(
            "small" if figures[i].small else "withheld" if figures[i].withheld else "shown"
            for i in group
        )

    def enough(figures: list[Figure]) -> bool:
        state = states(figures)
        return safe(tied, state, history.items) and history.open_with(tied, state)

    while not enough(figures):
        shown = sorted((i for i in group if not figures[i].hidden), key=lambda i: (counts[i], i))
        if not shown:
            # Withholding more cannot help: nothing of the group is said for this month.
            history.add(tied, ("any",) * len(group))
            return [WITHHELD if i in group else figure for i, figure in enumerate(figures)]
        better = (i for i in shown if enough(withholding(figures, i)))
        figures = withholding(figures, next(better, shown[0]))
    history.add(tied, states(figures))
    return figures


def withholding(figures: list[Figure], index: int) -> list[Figure]:
    """Return the figures with one more cell withheld."""
    return [WITHHELD if i == index else figure for i, figure in enumerate(figures)]


def safe(
    counts: tuple[int, ...], state: tuple[str, ...], items: tuple[tuple[int, ...], ...]
) -> bool:
    """Whether the tied group's row (`state` of each cell: "shown", "small", "withheld")
    hides nothing, or hides two or more cells and every small one keeps two or more
    possible values (audit.open_cells)."""
    not_shown = sum(s != "shown" for s in state)
    if not_shown == 0:
        return True
    return not_shown > 1 and open_cells(counts, state, items)
