"""Stories are cleaned right while a worker's threads clean several at once.

gunicorn's gthread workers serve requests in several threads of one process. bleach's
Cleaner keeps its HTML parser's state while it cleans and is not thread-safe (bleach's
documentation: "Cleaner instances are not thread-safe"): shared by a worker's threads,
one request's story can end up in another's page, or a page fail with a 500 (seen in
tests/programs/test_concurrency.py: IndexError, "pop from empty list", in the parser).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from advocacy.sanitize import clean_html, render_markdown

THREADS = 8
ROUNDS = 15
# Each different, each nested (quotes, lists, emphasis, links), each naming its own number.
STORIES = [
    f"Story {n}.\n\n" + f"> A quote with **strong {n}** and *soft {n}*\n>\n> - an item [link {n}]"
    f"(https://example.org/{n})\n> - another\n\n" * (n % 5 + 1)
    for n in range(4 * THREADS)
]


@pytest.fixture
def threads_switch_often():
    """Make the interpreter switch threads every microsecond, not every 5 ms: a race
    that needs two threads inside the parser at once then happens every run."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.parametrize("clean", [render_markdown, clean_html], ids=["markdown", "html"])
def test_each_thread_gets_its_own_story_back(threads_switch_often, clean):
    # The story each call must give back, cleaned one at a time in this thread.
    alone = {story: clean(story) for story in STORIES}
    assert all(f"Story {n}." in alone[s] for n, s in enumerate(STORIES))
    start = threading.Barrier(THREADS)

    def clean_many(first: int) -> list[tuple[str, str]]:
        start.wait()
        mine = STORIES[first::THREADS]
        return [(story, clean(story)) for _ in range(ROUNDS) for story in mine]

    with ThreadPoolExecutor(THREADS) as pool:
        cleaned = [pair for done in pool.map(clean_many, range(THREADS)) for pair in done]
    assert len(cleaned) == len(STORIES) * ROUNDS
    wrong = [story[:12] for story, html in cleaned if html != alone[story]]
    assert wrong == []


def test_the_markdown_rule_chains_are_built_as_the_module_loads():
    """markdown-it fills each chain's look-up in place on first use: two threads at the
    start of a worker could read one half-filled. Checked in a new process, where nothing
    has rendered yet."""
    check = (
        "from advocacy.sanitize import _markdown as m; "
        "rulers = (m.core.ruler, m.block.ruler, m.inline.ruler, m.inline.ruler2); "
        "print(all(ruler.__cache__ is not None for ruler in rulers))"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True", done.stderr
