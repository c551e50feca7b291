"""Activity a program and the site's story reports go through, played month by month as the
services count it (README "Reports"), for the property tests of suppression; and a reader
who tries to work out a report's hidden numbers.

Written from the counting rules, not from advocacy/reports: a request is counted as asked,
and at once as given a place (no approval, a place free) or put on the waiting list (full),
or nothing yet (held for a decision); a freed place (a withdrawal, a decline, an account
deleted) goes to the first waiting, counted as a place given only without approval;
approving counts a place given, declining a decline, withdrawing a withdrawal (not after
completing), completing a completion (once). A report is counted as filed, and when a
mentor decides on its story every open report of it is counted as kept up or taken down.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from fractions import Fraction

PLACES = ("requested", "place_given", "waitlisted", "declined", "withdrawn", "completed")
REPORTS = ("report_filed", "report_kept", "report_removed")
SMALL = {1, 2, 3, 4}


@dataclass
class Month:
    """What one month counted, and what each thing counted in it added (its "fragment")."""

    counts: Counter = field(default_factory=Counter)
    fragments: dict = field(default_factory=lambda: defaultdict(Counter))

    def add(self, thing: object, measure: str) -> None:
        self.counts[measure] += 1
        self.fragments[thing][measure] += 1


@dataclass
class Program:
    needs_approval: bool
    capacity: int
    places: dict = field(default_factory=dict)  # request -> "confirmed" | "pending" | "waiting"
    completed: set = field(default_factory=set)
    asked: int = 0

    def holding(self) -> int:
        return sum(status != "waiting" for status in self.places.values())

    def fill(self, month: Month) -> None:
        waiting = [r for r, status in self.places.items() if status == "waiting"]
        while waiting and self.holding() < self.capacity:
            first = waiting.pop(0)
            self.places[first] = "pending" if self.needs_approval else "confirmed"
            if not self.needs_approval:
                month.add(first, "place_given")

    def step(self, action: str, pick: int, month: Month, request: object = None) -> None:
        """Play one action; `pick` chooses among the requests it could apply to (`request`:
        that one, when it can)."""
        if action == "ask":
            self.asked += 1
            request = ("request", self.asked)
            month.add(request, "requested")
            if self.holding() < self.capacity:
                status = "pending" if self.needs_approval else "confirmed"
                if status == "confirmed":
                    month.add(request, "place_given")
            else:
                status = "waiting"
                month.add(request, "waitlisted")
            self.places[request] = status
            return
        wanted = {
            "approve": ("pending",),
            "decline": ("pending",),
            "complete": ("confirmed",),
            "withdraw": ("confirmed", "pending", "waiting"),
            "leave": ("confirmed", "pending", "waiting"),
        }[action]
        choices = [
            r
            for r, status in self.places.items()
            if status in wanted and not (action in ("complete", "withdraw") and r in self.completed)
        ]
        if not choices:
            return
        if request not in choices:
            request = choices[pick % len(choices)]
        if action == "approve":
            self.places[request] = "confirmed"
            month.add(request, "place_given")
        elif action == "complete":
            self.completed.add(request)
            month.add(request, "completed")
        else:  # declined, withdrawn, or the account deleted (not counted)
            if action != "leave":
                month.add(request, "declined" if action == "decline" else "withdrawn")
            held = self.places.pop(request) != "waiting"
            self.completed.discard(request)
            if held:
                self.fill(month)


@dataclass
class StoryReports:
    open: dict = field(default_factory=lambda: defaultdict(list))  # story -> open reports
    filed: int = 0

    def step(self, action: str, story: int, month: Month) -> None:
        if action == "file":
            self.filed += 1
            report = ("report", self.filed)
            self.open[story].append(report)
            month.add(report, "report_filed")
        elif self.open[story]:
            for report in self.open.pop(story):
                month.add(report, "report_kept" if action == "keep" else "report_removed")


def identities(fragments: dict, measures: tuple[str, ...]) -> list[list[Fraction]]:
    """Every identity a reader could know for the month: what each kind of thing counted
    in it added (its fragment) is known, so any weighting of the measures that gives 0 for
    every fragment present gives 0 for the month (a basis of that null space)."""
    rows = {tuple(Fraction(fragment[m]) for m in measures) for fragment in fragments.values()}
    rows = [list(row) for row in rows if any(row)]
    pivots, top = [], 0
    for column in range(len(measures)):
        found = next((r for r in range(top, len(rows)) if rows[r][column]), None)
        if found is None:
            continue
        rows[top], rows[found] = rows[found], rows[top]
        rows[top] = [value / rows[top][column] for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column]:
                rows[r] = [a - rows[r][column] * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append(column)
        top += 1
    rows = rows[:top]
    basis = []
    for free in (c for c in range(len(measures)) if c not in pivots):
        vector = [Fraction(0)] * len(measures)
        vector[free] = Fraction(1)
        for row, pivot in zip(rows, pivots, strict=True):
            vector[pivot] = -row[free]
        basis.append(vector)
    return basis


class Enough(Exception):
    """Every cell asked about has shown two possible values: no need to look further."""


def possible_values(
    counts: list[int], texts: list[str], rules: list[list[Fraction]], asked: set[int]
) -> dict[int, set[int]]:
    """For each cell not shown, values it could hold given the numbers shown, what "fewer
    than 5" (1 to 4) and "not shown" (0 or 5 and more beside a small one; anything when
    the whole row of the group is not shown) say, and the identities `rules` (values up to
    20 above the row's largest count are tried). The search stops once every cell in
    `asked` has two values; a cell with one value at the end can be worked out."""
    everything_withheld = all(text == "not shown" for text in texts)
    ceiling = max(counts) + 20

    def may_hold(i: int) -> list[int]:
        if texts[i] == "fewer than 5":
            return sorted(SMALL)
        if everything_withheld:
            return list(range(ceiling + 1))
        return [0, *range(5, ceiling + 1)]

    unknown = [i for i, text in enumerate(texts) if text in ("fewer than 5", "not shown")]
    # Small cells first: they have the fewest values to try.
    involved = sorted(
        (i for i in unknown if any(rule[i] for rule in rules)),
        key=lambda i: texts[i] != "fewer than 5",
    )
    found = {i: set() if i in involved else set(may_hold(i)) for i in unknown}

    def solve(values: dict[int, int]) -> None:
        fixed = {i: counts[i] for i in range(len(counts)) if i not in involved}
        values = settle(rules, {**fixed, **values}, may_hold)
        if values is None:
            return
        left = [i for i in involved if i not in values]
        if not left:
            for i in involved:
                found[i].add(values[i])
            if all(len(found[i]) > 1 for i in asked):
                raise Enough()
            return
        for value in may_hold(left[0]):
            solve({**values, left[0]: value})

    with suppress(Enough):
        solve({})
    return found


# Running limits over months, written from the steps above: from the first month to any
# month, (left) never exceeds (right): a request is asked before it waits, gets a place, is
# declined, withdrawn or completed; declined only if never given a place; completed only
# after a place; ends at most once. A report is filed before it is decided, once.
LIMITS = {
    PLACES: [
        (("completed", "withdrawn", "declined"), ("requested",)),
        (("place_given", "declined"), ("requested",)),
        (("waitlisted",), ("requested",)),
        (("completed",), ("place_given",)),
    ],
    REPORTS: [(("report_kept", "report_removed"), ("report_filed",))],
}


def month_rows(counts: list[int], texts: list[str], rules: list[list[Fraction]], ceiling: int):
    """Yield every row the month could be (values up to `ceiling`) given what it shows and
    its identities, nearest to the true counts first."""
    everything_withheld = all(text == "not shown" for text in texts)

    def may_hold(i: int) -> list[int]:
        if texts[i] == "fewer than 5":
            values = sorted(SMALL)
        elif texts[i] == "not shown":
            values = list(range(ceiling + 1))
            if not everything_withheld:
                values = [v for v in values if v == 0 or v >= 5]
        else:
            return [counts[i]]
        return sorted(values, key=lambda v: abs(v - counts[i]))

    def fill(values: list[int | None]):
        known = settle(rules, {i: v for i, v in enumerate(values) if v is not None}, may_hold)
        if known is None:
            return
        values = [known.get(i) for i in range(len(values))]
        if None not in values:
            yield values
            return
        i = values.index(None)
        for value in may_hold(i):
            yield from fill([*values[:i], value, *values[i + 1 :]])

    yield from fill(
        [
            None if text in ("fewer than 5", "not shown") else c
            for c, text in zip(counts, texts, strict=True)
        ]
    )


def history_values(
    truth: list[list[int]],
    texts: list[list[str]],
    rules: list[list[list[Fraction]]],
    measures: tuple[str, ...],
) -> dict[tuple[int, int], bool]:
    """For each cell shown as "fewer than 5" (month, column): whether a whole other history
    fits everything shown (each month's identities, what each text allows, the running
    LIMITS up to every month) with that cell changed."""
    ceiling = max(max(row) for row in truth) + 12
    limits = [
        ([measures.index(m) for m in left], [measures.index(m) for m in right])
        for left, right in LIMITS[measures]
    ]

    def within(history: list[list[int]]) -> bool:
        totals = [sum(column) for column in zip(*history, strict=True)]
        return all(sum(totals[i] for i in a) <= sum(totals[i] for i in b) for a, b in limits)

    def another(m: int, i: int) -> bool:
        def walk(history: list[list[int]]) -> bool:
            if len(history) == len(truth):
                return history[m][i] != truth[m][i]
            n = len(history)
            for row in month_rows(truth[n], texts[n], rules[n], ceiling):
                if n == m and row[i] == truth[m][i]:
                    continue
                if within([*history, row]) and walk([*history, row]):
                    return True
            return False

        return walk([])

    return {
        (m, i): another(m, i)
        for m, row in enumerate(texts)
        for i, text in enumerate(row)
        if text == "fewer than 5"
    }


def settle(rules, known: dict[int, int], may_hold) -> dict[int, int] | None:
    """Decide what the rules force: a rule (coefficients summing to 0) with one cell left
    open decides it, a full one must hold. Return the known cells extended, or None when
    a rule is broken or forces a value the cell may not hold."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for rule in rules:
            open_cells = [i for i, r in enumerate(rule) if r and i not in known]
            total = sum(r * known[i] for i, r in enumerate(rule) if r and i in known)
            if not open_cells and total:
                return None
            if len(open_cells) == 1:
                i = open_cells[0]
                value = -total / rule[i]
                if value.denominator != 1 or int(value) not in may_hold(i):
                    return None
                known[i] = int(value)
                changed = True
    return known
