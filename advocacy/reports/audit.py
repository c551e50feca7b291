"""The reader a suppression pattern must defeat: what hidden counts could be, within one
month's row and across a whole history of months. Pure functions, no database.

Within a row (open_cells): a reader who knows every number shown, that "fewer than 5" means
1 to 4, "not shown" 0 or 5 or more ("any" for a row of the group withheld whole: any number
from 0), and, all at once, every identity sum(A) = sum(B) (A and B disjoint sets of the
group's cells) that the row's true counts satisfy and that the things counted could have
made (identities). Each tie counting.py makes between measures counts a request or a
report once per measure, so it is one of these; taking them all also covers ties that hold
by chance. A hidden cell must keep two or more possible values.

Across months (History): the same reader, who also reads every month from the first one
counted and knows the running limits (services.Group.limits): a request or report moves
through its steps in order, so from the first month to any month, sums of some measures
never exceed others (reports decided never exceed reports filed; completions + withdrawals
+ declines never exceed requests). Every hidden count of 1 to 4 in any month must still
have two possible values with each month's identities and every running limit holding in
every month. A limit the true counts break (counts filled in before counting began) is
not one a reader could trust, so it is left out for that program.

The search is bounded, and every bound errs the safe way: a count is called open only when
a whole other history that satisfies everything above is found with it changed; a search
that gives up withholds more. It tries, for one month, at most ALTERNATIVES other rows
(from at most TRIES choices, nearest to the true counts first, each cell within SEARCH of
its count), and changes that month alone or together with one other month (at most
PAIR_TRIES pairs of rows per hidden count); a witness found is kept and only checked again
against each month added after it. A history of n months costs at most n² × (cells) ×
PAIR_TRIES steps of a few limits each, and a few per cell when witnesses hold (the usual
case), so a program's five years of months stay well under a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import product
from math import gcd

# Counts from 1 up to HIDDEN_BELOW - 1 are hidden.
HIDDEN_BELOW = 5
SMALL = range(1, HIDDEN_BELOW)
# How far from its count the audit tries other values of a withheld cell. A reader may try
# any: looking nearer finds fewer values, so it can only withhold more, never less.
SEARCH = 12
# The bounds of the search across months (module docstring).
ALTERNATIVES = 32
TRIES = 4000
PAIR_TRIES = 3000


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
    """Whether a cell reading "fewer than 5" ("small"), "not shown" ("withheld") or part of
    a row withheld whole ("any") may hold `value`."""
    if state == "small":
        return value in SMALL
    if state == "any":
        return value >= 0
    return value == 0 or value >= HIDDEN_BELOW


def tried(count: int, state: str) -> list[int]:
    """Return the values the audit tries for a free cell, nearest to its count first: 1 to
    4 for "fewer than 5"; for "not shown" 0 and 5 or more, for "any" 0 or more, within
    SEARCH of its count."""
    if state == "small":
        values = list(SMALL)
    else:
        values = [
            v for v in range(max(0, count - SEARCH), count + SEARCH + 1) if possible(v, state)
        ]
        if state == "withheld" and 0 not in values:
            values.append(0)
    return sorted(values, key=lambda v: (abs(v - count), v))


def system(
    counts: tuple[int, ...], state: tuple[str, ...], items: tuple[tuple[int, ...], ...]
) -> tuple[list[int], list[list[int]], list[int], list[int]]:
    """Return a row's unknown cells (withheld first), its identities solved for them (reduced
    row echelon form, in whole numbers: pivot × cell = right side − Σ coefficient × free
    cell, a row per pivot), the pivots, and the free cells some identity names (positions
    in the unknown cells)."""
    unknown = sorted(
        (i for i, s in enumerate(state) if s != "shown"), key=lambda i: state[i] == "small"
    )
    equations = [
        [row[i] for i in unknown] + [sum(row[i] * counts[i] for i in unknown)]
        for row in identities(counts, items)
    ]
    rows, pivots = echelon(equations, len(unknown))
    free = [k for k in range(len(unknown)) if k not in pivots and any(row[k] for row in rows)]
    return unknown, rows, pivots, free


def solved(
    rows: list[list[int]],
    pivots: list[int],
    chosen: dict[int, int],
    states: list[str],
) -> dict[int, int] | None:
    """Return the chosen free values with every pivot's value (states: of each unknown
    cell), or None when a pivot gets no whole value or one its cell may not hold."""
    chosen = dict(chosen)
    for row, pivot in zip(rows, pivots, strict=True):
        value, left = divmod(row[-1] - sum(row[k] * v for k, v in chosen.items()), row[pivot])
        if left or not possible(value, states[pivot]):
            return None
        chosen[pivot] = value
    return chosen


@lru_cache(maxsize=4096)
def open_cells(
    counts: tuple[int, ...], state: tuple[str, ...], items: tuple[tuple[int, ...], ...]
) -> bool:
    """Whether every "small" cell can hold two or more values, given the "shown" cells,
    what "small" and "withheld" cells may hold (possible) and identities(counts, items):
    every choice of the free cells (system) is tried until each small cell has been seen
    with two values."""
    unknown, rows, pivots, free = system(counts, state, items)
    states = [state[i] for i in unknown]
    # A small cell in no identity can hold any of 1 to 4.
    seen: dict[int, set[int]] = {k: set() for k in [*pivots, *free] if states[k] == "small"}
    if not seen:
        return True
    choices = [tried(counts[unknown[k]], states[k]) for k in free]
    for values in product(*choices):
        chosen = solved(rows, pivots, dict(zip(free, values, strict=True)), states)
        if chosen is None:
            continue
        for k in seen:
            seen[k].add(chosen[k])
        if all(len(values) > 1 for values in seen.values()):
            return True
    return False


def nearest(sizes: list[int]) -> Iterator[tuple[int, ...]]:
    """Yield every tuple of ranks (each below its size), smallest sum of ranks first."""

    def spread(total: int, sizes: list[int]) -> Iterator[tuple[int, ...]]:
        if not sizes:
            if total == 0:
                yield ()
            return
        for rank in range(min(total, sizes[0] - 1) + 1):
            for rest in spread(total - rank, sizes[1:]):
                yield (rank, *rest)

    for total in range(sum(size - 1 for size in sizes) + 1):
        yield from spread(total, sizes)


@lru_cache(maxsize=4096)
def alternatives(
    counts: tuple[int, ...], state: tuple[str, ...], items: tuple[tuple[int, ...], ...]
) -> tuple[tuple[int, ...], ...]:
    """Return up to ALTERNATIVES other rows a reader could take this month's row for, each as
    its change from the true counts (0 for every shown cell): the month's identities hold
    and every cell holds what it may. Nearest to the true counts first, from at most TRIES
    choices of the free cells and of the cells in no identity."""
    unknown, rows, pivots, free = system(counts, state, items)
    states = [state[i] for i in unknown]
    choosing = free + [k for k in range(len(unknown)) if k not in pivots and k not in free]
    choices = [tried(counts[unknown[k]], states[k]) for k in choosing]
    found: dict[tuple[int, ...], None] = {}
    for tries, ranks in enumerate(nearest([len(c) for c in choices])):
        if tries == TRIES or len(found) == ALTERNATIVES:
            break
        picked = {k: choice[rank] for k, choice, rank in zip(choosing, choices, ranks, strict=True)}
        chosen = solved(rows, pivots, picked, states)
        if chosen is None:
            continue
        change = [0] * len(counts)
        for k, value in chosen.items():
            change[unknown[k]] = value - counts[unknown[k]]
        if any(change):
            found[tuple(change)] = None
    return tuple(found)
