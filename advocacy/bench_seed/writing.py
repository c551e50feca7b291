"""Published stories and the readers' notices for `flask seed-bench`.

Stories are written as a mentor's approval leaves them (stories/services.py:
publish_working_copy): the working copy and the published copy alike, `published_html`
from advocacy/sanitize.py's render_markdown at the current SANITIZER_VERSION. A handful
of distinct bodies (about 300 to 3,000 characters) are rendered once and reused.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

from advocacy.bench_seed.rows import insert_rows
from advocacy.notices.models import Notice
from advocacy.reports.counting import month_of
from advocacy.reports.models import Measure
from advocacy.sanitize import SANITIZER_VERSION, render_markdown
from advocacy.stories.models import Audience, Status, Story
from advocacy.stories.services import WARNINGS

PARAGRAPHS = (
    "When I first came to the group I did not say a word for three weeks. Nobody pushed "
    "me. Someone made tea, someone saved me a seat by the window, and one evening I "
    "realised I had started to *look forward* to Thursdays.",
    "What helped most was hearing that my reactions were normal. The nightmares, the "
    "jumping at doors, the way I could not decide what to eat: other people had them too, "
    "and some of them had found ways through.",
    "> You do not have to tell your whole story to be part of this.\n>\n> You can share "
    "as much or as little as you want, and change your mind.",
    "Things that got me through the first year:\n\n- a notebook I kept only for good "
    "days\n- a phone number I knew by heart\n- walking the long way home\n- people who "
    "never asked *why didn't you leave*",
    "Now I co-lead a circle myself. I still get nervous before every meeting. I think "
    "that is a good sign: it means I care about getting it **right** for the people who "
    "are where I was.",
    "If you are reading this and you are not sure whether a group is for you, the "
    "[safety page](https://example.org/safety) has numbers you can call at any hour, and "
    "nobody there will make you do anything you do not want to do.",
)
# Indices into PARAGRAPHS: short, middling and long stories.
SHAPES = ((0,), (0, 1), (1, 3), (0, 2, 4), (0, 1, 2, 3, 4, 5), (4, 1, 3, 0, 2, 5, 1, 4, 0))
TITLES = (
    "Thursdays at the window seat",
    "What nobody told me about the first year",
    "Learning to say no",
    "A notebook for good days",
    "Why I lead a circle now",
    "The long way home",
    "Finding words again",
    "Small steps, counted",
)
# Mostly "en", as the events' languages are (events/forms.py LANGUAGES).
NOTICE_KINDS = ("story_approved", "enrollment_confirmed", "program_changed", "waitlist_promoted")
READER_NOTICES = 60  # each reader's notices (a member's, not the site's: not scaled)
UNREAD_NOTICES = 5  # of which the newest are unread


def bodies() -> list[tuple[str, str]]:
    """Return (Markdown, its sanitized HTML) for each shape, each rendered once."""
    texts = ["\n\n".join(PARAGRAPHS[index] for index in shape) for shape in SHAPES]
    return [(text, render_markdown(text)) for text in texts]


def story_rows(
    count: int, author_ids: list[int], now: datetime, rng: random.Random
) -> Iterator[dict]:
    """Yield `count` published stories, oldest first, published over the last three years
    (the newest an hour ago), each as a mentor's approval leaves it."""
    rendered = bodies()
    span = timedelta(days=3 * 365)
    for n in range(count):
        published = now - timedelta(hours=1) - span * (count - 1 - n) / max(count, 1)
        body, html = rendered[n % len(rendered)]
        warnings = sorted(rng.sample(sorted(WARNINGS), rng.choice((0, 0, 0, 1, 2))))
        title = TITLES[n % len(TITLES)]
        yield {
            "author_id": rng.choice(author_ids),
            "title": title,
            "body": body,
            "warnings": warnings,
            "warning_note": "",
            "audience": Audience.PUBLIC if n % 2 else Audience.MEMBERS,
            "is_anonymous": n % 10 == 3,
            "status": Status.PUBLISHED,
            "review_note": "",
            "created_at": published - timedelta(days=3),
            "updated_at": published - timedelta(days=2),
            "submitted_at": published - timedelta(days=2),
            "decided_at": published,
            "published_at": published,
            "published_title": title,
            "published_body": body,
            "published_html": html,
            "html_version": SANITIZER_VERSION,
            "published_warnings": warnings,
            "published_warning_note": "",
        }


def seed_stories(count: int, author_ids: list[int], now: datetime, tally: Counter) -> int:
    """Insert the published stories; count each as sent for review and published."""
    rng = random.Random(1701)  # noqa: S311 - sample data, the same every run

    def counted(rows: Iterator[dict]) -> Iterator[dict]:
        for row in rows:
            month = month_of(row["published_at"])
            tally[(Measure.STORY_SUBMITTED, None, month)] += 1
            tally[(Measure.STORY_PUBLISHED, None, month)] += 1
            yield row

    return insert_rows(Story, counted(story_rows(count, author_ids, now, rng)))


def notice_rows(
    reader_ids: list[int], links: dict[str, tuple[str, str]], now: datetime
) -> Iterator[dict]:
    """Yield READER_NOTICES notices per reader over the last 80 days, the newest
    UNREAD_NOTICES unread; `links` maps a kind to (link, title) it is about."""
    for account_id in reader_ids:
        for n in range(READER_NOTICES):
            kind = NOTICE_KINDS[n % len(NOTICE_KINDS)]
            link, title = links[kind]
            created = now - timedelta(days=80) * (READER_NOTICES - n) / READER_NOTICES
            unread = n >= READER_NOTICES - UNREAD_NOTICES
            yield {
                "account_id": account_id,
                "kind": kind,
                "params": {"title": title},
                "link": link,
                "created_at": created,
                "read_at": None if unread else min(created + timedelta(hours=20), now),
            }


def seed_notices(reader_ids: list[int], links: dict[str, tuple[str, str]], now: datetime) -> int:
    """Insert the readers' notices; return how many."""
    return insert_rows(Notice, notice_rows(reader_ids, links, now))
