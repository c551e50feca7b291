"""A tied group's months read together: the reader of audit.py across a whole history.

History holds one program's (or the site's) months of a tied group as decided so far, from
the first month counted, and answers whether one more month, shown one way, leaves every
hidden count of 1 to 4 (in it or in any month before) two possible values. The bounds of
the search, all erring the safe way, are audit.py's (ALTERNATIVES, TRIES, PAIR_TRIES).
"""

from __future__ import annotations

from math import inf

from advocacy.reports.audit import PAIR_TRIES, alternatives

Change = tuple[int, ...]
# Another history a reader could take the true one for: {month index: change of its row}.
Witness = dict[int, Change]


class History:
    """The months of one tied group decided so far (their true counts and what each cell
    shows), the running limits and, for each hidden small count, a witness: another history
    that fits everything shown with that count changed.

    `items`: the group's items (positions in the group); `limits`: each a coefficient per
    cell, the running totals keeping Σ coefficient × count ≤ 0 from the first month to
    every month (services.Group.limits: +1 for the measures that never exceed the -1 ones).
    """

    def __init__(
        self, items: tuple[tuple[int, ...], ...], limits: tuple[tuple[int, ...], ...]
    ) -> None:
        self.items = items
        self.limits = limits
        self.months: list[tuple[tuple[int, ...], tuple[str, ...]]] = []
        # The room each limit leaves from the first month to each month: -Σ coefficient × count.
        self.room: list[tuple[int, ...]] = []
        self.broken: set[int] = set()
        self.witnesses: dict[tuple[int, int], Witness] = {}
        self.last: tuple[tuple, tuple[dict[tuple[int, int], Witness], bool]] | None = None

    def open_with(self, counts: tuple[int, ...], state: tuple[str, ...]) -> bool:
        """Whether adding this month (true counts, states as audit.possible reads them)
        leaves every small count of every month two possible values."""
        return self.checked(counts, state)[1]

    def add(self, counts: tuple[int, ...], state: tuple[str, ...]) -> None:
        """Add the month as decided, keeping the witnesses found."""
        witnesses, _ = self.checked(counts, state)
        self.room.append(self.next_room(counts))
        self.broken |= {a for a, room in enumerate(self.room[-1]) if room < 0}
        self.months.append((counts, state))
        self.witnesses = witnesses

    def next_room(self, counts: tuple[int, ...]) -> tuple[int, ...]:
        before = self.room[-1] if self.room else (0,) * len(self.limits)
        return tuple(
            room - sum(c * n for c, n in zip(limit, counts, strict=True))
            for room, limit in zip(before, self.limits, strict=True)
        )

    def checked(
        self, counts: tuple[int, ...], state: tuple[str, ...]
    ) -> tuple[dict[tuple[int, int], Witness], bool]:
        """Return the witnesses found with the month added, and whether every small count
        has one (the search stops at the first that has none)."""
        if self.last is not None and self.last[0] == (len(self.months), counts, state):
            return self.last[1]
        self.last = ((len(self.months), counts, state), self.search_all(counts, state))
        return self.last[1]

    def search_all(
        self, counts: tuple[int, ...], state: tuple[str, ...]
    ) -> tuple[dict[tuple[int, int], Witness], bool]:
        """checked(), without keeping its answer."""
        months = [*self.months, (counts, state)]
        room = [*self.room, self.next_room(counts)]
        kept = [a for a in range(len(self.limits)) if a not in self.broken and room[-1][a] >= 0]
        last = len(months) - 1
        found: dict[tuple[int, int], Witness] = {}
        for j, (_, states) in enumerate(months):
            for k in (k for k, s in enumerate(states) if s == "small"):
                witness = self.witnesses.get((j, k)) if j < last else None
                if witness is None or not self.fits_last(witness, kept, room[-1]):
                    witness = self.search(months, room, kept, j, k)
                if witness is None:
                    return found, False
                found[j, k] = witness
        return found, True

    def fits_last(self, witness: Witness, kept: list[int], room: tuple[int, ...]) -> bool:
        """Whether a witness that fitted the months before still fits the running totals
        up to the month added (those before are as they were)."""
        return all(
            sum(self.times(a, change) for change in witness.values()) <= room[a] for a in kept
        )

    def times(self, a: int, change: Change) -> int:
        return sum(c * d for c, d in zip(self.limits[a], change, strict=True))

    def search(
        self,
        months: list[tuple[tuple[int, ...], tuple[str, ...]]],
        room: list[tuple[int, ...]],
        kept: list[int],
        j: int,
        k: int,
    ) -> Witness | None:
        """Find another history with month j's cell k changed: month j's row alone, or with
        one other month's (nearest months first, at most PAIR_TRIES pairs); None if none."""

        def least(first: int, end: int) -> dict[int, float]:
            return {a: min((room[p][a] for p in range(first, end)), default=inf) for a in kept}

        mine = [c for c in alternatives(*months[j], self.items) if c[k]]
        after = least(j, len(months))
        for change in mine:
            if all(self.times(a, change) <= after[a] for a in kept):
                return {j: change}
        budget = PAIR_TRIES
        for i in sorted((i for i in range(len(months)) if i != j), key=lambda i: abs(i - j)):
            others = alternatives(*months[i], self.items)
            if not others or not mine:
                continue
            early, late = sorted((i, j))
            between, after = least(early, late), least(late, len(months))
            for change in mine:
                for other in others:
                    budget -= 1
                    if budget < 0:
                        return None
                    first = change if early == j else other
                    if all(
                        self.times(a, first) <= between[a]
                        and self.times(a, change) + self.times(a, other) <= after[a]
                        for a in kept
                    ):
                        return {j: change, i: other}
        return None
