"""The table `make bench` prints and keeps in bench/README.md.

Per page and server: requests per second and p99 latency, each the median of the rounds,
and worker CPU time per request over all rounds (CPU seconds / requests); then the
product's figure over the baseline's measured beside it (×). Issue 17's goal reads off
the ratios: req/s × at least 0.5, p99 × at most 2.5.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench.load import Measured

README = Path(__file__).with_name("README.md")


def rate(runs: list[Measured]) -> float:
    """Requests per second: the median of the runs."""
    return statistics.median(run.per_second for run in runs)


def cpu_ms(runs: list[Measured]) -> float:
    """Worker CPU milliseconds per request over all the runs (NaN: no request)."""
    requests = sum(run.requests for run in runs)
    return 1000 * sum(run.cpu_seconds for run in runs) / requests if requests else float("nan")


def troubled(runs: list[Measured]) -> bool:
    """Whether an answer was not a 200, or a worker restarted, in any of the runs."""
    return any(run.not_ok or run.workers_changed for run in runs)


@dataclass(frozen=True)
class Row:
    """One page's figures for both servers."""

    page: str
    address: str
    signed_in: bool
    product: list[Measured]
    baseline: list[Measured]
    size: tuple[int, int]  # bytes of the product's page and of the baseline's

    def rate(self, runs: list[Measured]) -> float:
        return rate(runs)

    def p99(self, runs: list[Measured]) -> float:
        return statistics.median(run.p99_ms for run in runs)

    def cpu(self, runs: list[Measured]) -> float:
        return cpu_ms(runs)

    @property
    def troubled(self) -> bool:
        """Whether an answer was not a 200, or a worker restarted, during the load."""
        return troubled(self.product + self.baseline)


def ratio(product: float, baseline: float) -> str:
    return f"{product / baseline:.2f}" if baseline else "–"


def figure(value: float) -> str:
    """A figure to three significant digits or so: 1234, 123, 12.3, 1.23."""
    if value != value:  # NaN: no requests
        return "–"
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


HEADER = (
    "| page | address | as | req/s | baseline | × | p99 ms | baseline | × "
    "| CPU ms/req | baseline | × | KB |\n"
    "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def markdown(rows: list[Row]) -> str:
    """Return the rows as a Markdown table (a "!" marks a page with trouble)."""
    lines = [HEADER]
    for row in rows:
        rate = row.rate(row.product), row.rate(row.baseline)
        p99 = row.p99(row.product), row.p99(row.baseline)
        cpu = row.cpu(row.product), row.cpu(row.baseline)
        mark = " !" if row.troubled else ""
        lines.append(
            f"| {row.page}{mark} | `{row.address}` | {'member' if row.signed_in else 'visitor'} "
            f"| {figure(rate[0])} | {figure(rate[1])} | {ratio(*rate)} "
            f"| {figure(p99[0])} | {figure(p99[1])} | {ratio(*p99)} "
            f"| {figure(cpu[0])} | {figure(cpu[1])} | {ratio(*cpu)} "
            f"| {row.size[0] / 1024:.1f} |"
        )
    baseline_kb = rows[0].size[1] / 1024 if rows else 0
    lines += [
        "",
        "× is the product's figure over the baseline's, measured beside it in the same round "
        "(req/s and p99: medians of the rounds; CPU: the gunicorn workers' user + system time "
        f"over all rounds ÷ requests). KB: the product's page; the baseline's is "
        f"{baseline_kb:.1f} KB.",
    ]
    return "\n".join(lines)


def markers(kind: str, command: str = "make bench") -> tuple[str, str]:
    """Return the README's start and end markers of one command's table for one database
    kind."""
    return f"<!-- {command}: {kind} -->", f"<!-- end {command}: {kind} -->"


def write_readme(
    kind: str, text: str, readme: Path = README, *, command: str = "make bench"
) -> None:
    """Put `text` between the markers of `command` and `kind` ("sqlite", "postgresql") in
    the README, replacing what was there; add the markers at the end when missing."""
    start, end = markers(kind, command)
    content = readme.read_text()
    block = f"{start}\n{text.strip()}\n{end}"
    found = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if found.search(content):
        content = found.sub(lambda _: block, content, count=1)
    else:
        content = content.rstrip("\n") + f"\n\n{block}\n"
    readme.write_text(content)
