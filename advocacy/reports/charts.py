"""A table's totals as a horizontal bar chart drawn on the server (inline SVG, no script).

Pure layout: the template draws what this returns. Each bar is a total exactly as the
table shows it (suppression.py): "at least N" is drawn N long, so the chart shows no
number the table does not.

Readable on a 320 px phone (issue 13, a newcomer's try: "the bars are tiny"): the chart
is as wide as the page and is never scaled down (no viewBox), so its words keep the size
the stylesheet gives them (.chart text, 15 px) and each bar is BAR_HEIGHT px thick, at
any width. Bars are as long as a share of the chart's width (the longest BAR_MAX per
cent), each followed by its number; a label longer than LINE_CHARS characters goes on
two lines or more, broken between words, so neither runs past the chart's edge (at
15 px, a character is 9 px at most in the site's sans-serif fonts: 30 × 9 = 270 px, inside
the 296 px a 320 px screen leaves; "at least 1234" after the longest bar, 55 % of 296 px,
ends by 290 px).
"""

from __future__ import annotations

from dataclasses import dataclass

from advocacy.reports.services import MEASURE_LABELS, Table

LINE = 19  # a line of words, 15 px, in px
LABEL_BASELINE = 15  # from the top of a line to its words' baseline
BAR_GAP = 5  # between a label and its bar
BAR_HEIGHT = 24
VALUE_BASELINE = 17  # from the top of a bar to its number's baseline
ROW_GAP = 16  # between one bar and the next label
BAR_MAX = 55  # the longest bar, per cent of the chart's width: room for its number after
LINE_CHARS = 30


@dataclass(frozen=True)
class Bar:
    """One measure: its label's lines (baseline y, words), its bar (top y, length in per
    cent of the chart's width) and the total as the table says it (at its baseline)."""

    label: str
    lines: list[tuple[int, str]]
    bar_y: int
    width: float
    text: str
    text_y: int


@dataclass(frozen=True)
class Chart:
    height: int
    bars: list[Bar]
    bar_height: int = BAR_HEIGHT


def lines_of(label: str, most: int = LINE_CHARS) -> list[str]:
    """Break a label between words into lines of at most `most` characters (a word
    longer than that stands alone on its line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(table: Table) -> Chart:
    """Lay out a bar per measure, as long as its total over the report's months."""
    totals = table.shown.totals
    longest = max((figure.value or 0 for figure in totals), default=0) or 1
    bars = []
    top = 0
    for measure, figure in zip(table.group.measures, totals, strict=True):
        label = str(MEASURE_LABELS[measure])
        lines = lines_of(label)
        bar_y = top + len(lines) * LINE + BAR_GAP
        bars.append(
            Bar(
                label,
                [(top + n * LINE + LABEL_BASELINE, line) for n, line in enumerate(lines)],
                bar_y,
                round(BAR_MAX * (figure.value or 0) / longest, 1),
                figure.text(),
                bar_y + VALUE_BASELINE,
            )
        )
        top = bar_y + BAR_HEIGHT + ROW_GAP
    return Chart(max(top - ROW_GAP, 0), bars)
