"""Benchmark: render the longest story the length limit allows, in its worst shapes.

Security checklist X6: deeply nested input must sanitize quickly or be refused first.
Inputs over BODY_MAX characters are refused before rendering (tests/stories/
test_sanitize.py checks that); this measures the longest inputs that are accepted:
BODY_MAX characters of nested `<b>`, of `>` quotes, of `- ` lists, of `*` and `[`
runs, and of ordinary prose. Prints the median and slowest of a few renderings of each
through advocacy.sanitize.render_markdown, the function the app uses. Exits non-zero
only if a rendering raises, never because the machine is slow.

    .venv/bin/python bench/render_nesting.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from advocacy.sanitize import render_markdown  # noqa: E402
from advocacy.stories.services import BODY_MAX  # noqa: E402


def shapes(limit: int) -> dict[str, str]:
    """Name -> an input of exactly `limit` characters."""

    def fill(unit: str, tail: str = "") -> str:
        return (unit * limit)[: limit - len(tail)] + tail

    return {
        "nested <b>": fill("<b>"),
        "nested > quotes": fill(">", " x"),
        "nested - lists": fill("- ", "x"),
        "indented lists": fill("  - item\n"),
        "* runs": fill("*", "x"),
        "[ runs": fill("[", "x"),
        "links": fill("[a](https://example.org) "),
        "prose": fill("A calm sentence about the river. "),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="renderings of each shape")
    args = parser.parse_args()
    print(f"render_markdown on inputs of {BODY_MAX:,} characters (the story limit)")
    for name, text in shapes(BODY_MAX).items():
        assert len(text) == BODY_MAX, name
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            render_markdown(text)
            times.append(time.perf_counter() - started)
        median, slowest = statistics.median(times) * 1000, max(times) * 1000
        print(f"  {name:<18} median {median:8.1f} ms   slowest {slowest:8.1f} ms")


if __name__ == "__main__":
    main()
