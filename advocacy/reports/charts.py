"""A table's totals as a horizontal bar chart drawn on the server (inline SVG, no script).

Pure layout: the template draws what this returns. Each bar is a total exactly as the
table shows it (suppression.py): "at least N" is drawn N long, so the chart shows no
number the table does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from advocacy.reports.services import MEASURE_LABELS, Table

WIDTH = 320  # the viewBox's width: a phone's, scaled up with the page
ROW = 44  # each measure: its label, then its bar
BAR_TOP = 20
BAR_HEIGHT = 14
BAR_MAX = 230  # the longest bar, leaving room for its number after it


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the total as the table says it
    y: int  # the top of the measure's row
    width: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    bar_top: int = BAR_TOP
    bar_height: int = BAR_HEIGHT


def bar_chart(table: Table) -> Chart:
    """Lay out a bar per measure, as long as its total over the report's months."""
    totals = table.shown.totals
    longest = max((figure.value or 0 for figure in totals), default=0) or 1
    bars = [
        Bar(
            str(MEASURE_LABELS[measure]),
            figure.text(),
            index * ROW,
            round(BAR_MAX * (figure.value or 0) / longest, 1),
        )
        for index, (measure, figure) in enumerate(zip(table.group.measures, totals, strict=True))
    ]
    return Chart(WIDTH, len(bars) * ROW, bars)
