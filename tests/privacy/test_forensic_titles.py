"""A story that goes leaves no title in the bytes of the SQLite files (issue 15, item 4:
"After a withdrawal, an account deletion and a purge, the title is absent from the SQLite
file, its WAL and SHM").

Each title is a canary, a string found nowhere else, named wherever a story's title
travels: the story's row, the notices its author got about it (changes asked for,
published, not published) and the report outcome its reader got (named by its title, as
issue 15 item 5 asks). The canaries are first shown to be in the files (positive control);
after a withdrawal through the form, an account deletion with its stories through the
form, and the purge, none is in the database, `-wal` or `-shm` file. Negative controls find
them with `secure_delete` off (in the database file) and with the WAL checkpoint skipped
(in the `-wal` file); and after the purge the title of a version still published is still
found, so the search can see what stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.moderation import reported
from advocacy.moderation import services as moderation
from advocacy.notices.services import notify
from advocacy.privacy import services as privacy
from advocacy.stories import reports
from advocacy.stories import services as stories
from advocacy.stories.models import Story
from tests.support.accounts import make_account
from tests.support.forensic import (
    INSECURE,
    all_in_the_files,
    canary,
    found_in,
    none_left_in_the_files,
    pragma,
    sqlite_bytes,
)
from tests.support.forensic import mode as mode  # noqa: PLC0414 (the fixture)

pytestmark = pytest.mark.sqlite_only
DAY = timedelta(days=1)


class Stories:
    """A member's stories with canary titles, decided by a mentor, reported by a reader
    (through the services, in the open app context)."""

    def __init__(self, app, now: datetime) -> None:
        self.now = now
        self.author = make_account(app, "river-member")
        self.reader = make_account(app, "cedar-member")
        self.mentor = make_account(app, "heron-mentor", role=Role.MENTOR)
        self.canaries: dict[str, str] = {}

    def title(self, what: str) -> str:
        self.canaries[what] = canary()
        return f"Title {self.canaries[what]}"

    def person(self, made) -> Account:
        return db.session.get(Account, made.id)

    def write(self, what: str, story: Story | None = None) -> Story:
        """Write (or rewrite) a story and send it for review."""
        data = stories.StoryInput(title=self.title(what), body="Words of my own.")
        sent = stories.submit(self.person(self.author), data, now=self.now, story=story)
        assert sent.submitted
        return sent.story

    def decide(self, story: Story, decision: str) -> None:
        moderation.decide_story(
            self.person(self.mentor),
            story.id,
            decision,
            note="A note.",
            seen_updated_at=None,
            now=self.now,
        )

    def published(self, what: str) -> Story:
        """Published after a round of changes. Its first title goes at the approval (the
        notices naming it with it: tests/notices/test_story_notices.py), so it is no canary
        of what the deletion below removes."""
        story = self.write(f"{what}, first title")
        self.decide(story, "changes")
        self.write(what, story)
        self.decide(story, "approve")
        self.canaries.pop(f"{what}, first title")
        return story

    def reported(self, story: Story, decision: str) -> None:
        """The reader reports the story and a mentor decides; the outcome names the story
        by its title, as issue 15 item 5 asks."""
        title = story.published_title
        reports.report(
            self.person(self.reader), story.id, category="harassment", note="", now=self.now
        )
        reported.decide_reports(
            self.person(self.mentor), story.id, decision, note="A note.", now=self.now
        )
        outcome = "kept" if decision == "keep" else "removed"
        notify(
            self.reader.id,
            f"report_outcome_{outcome}",
            now=self.now,
            story_id=story.id,
            title=title,
        )


@dataclass(frozen=True)
class Scenario:
    """Stories made (in an app context), then what makes them go (from outside)."""

    make: Callable[[Stories], dict]
    go: Callable[..., None]


def one_published_story(made: Stories) -> dict:
    """Published and reported; then its author sends an edit, withdrawn while pending."""
    story = made.published("withdrawn story")
    made.reported(story, "keep")
    made.write("withdrawn story, pending edit", story)
    return {"story_id": story.id}


def withdraw(app, client, auth, made: Stories, story_id: int) -> None:
    assert auth.login(made.author).status_code == 303
    response = client.post(f"/stories/{story_id}/withdraw", data={"confirm": "y"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Story, story_id) is None


def every_kind_of_story(made: Stories) -> dict:
    made.reported(made.published("published story"), "keep")
    made.decide(made.write("declined story"), "decline")
    stories.save_draft(
        made.person(made.author),
        stories.StoryInput(title=made.title("draft"), body="Not ready."),
        now=made.now,
    )
    return {}


def delete_account(app, client, auth, made: Stories) -> None:
    assert auth.login(made.author).status_code == 303
    response = client.post(
        "/account/delete",
        data={"password": made.author.password, "published_stories": "delete"},
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Account, made.author.id) is None


def stories_the_purge_ends(made: Stories) -> dict:
    made.decide(made.write("declined story"), "decline")
    made.reported(made.published("taken down story"), "remove")
    staying = made.published("published version")
    kept = made.canaries.pop("published version")
    made.write("declined new version", staying)
    made.decide(staying, "decline")
    return {"kept": kept}


def purge(app, _client, _auth, made: Stories, kept: str) -> None:
    """31 days on: past the 30 days of declined stories and declined new versions."""
    with app.app_context():
        privacy.purge(made.now + 31 * DAY)


SCENARIOS = {
    "withdrawal": Scenario(one_published_story, withdraw),
    "account deletion": Scenario(every_kind_of_story, delete_account),
    "purge": Scenario(stories_the_purge_ends, purge),
}


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_no_title_of_a_story_that_went_is_left_in_the_sqlite_files(
    app, client, auth, clock, database_file, mode, scenario
):
    made = Stories(app, clock())
    with app.app_context():
        assert pragma("secure_delete") == (0 if mode == INSECURE else 1)
        context = scenario.make(made)
        db.session.commit()
    canaries = made.canaries
    assert len(canaries) >= 2

    all_in_the_files(database_file, canaries)

    scenario.go(app, client, auth, made, **context)

    none_left_in_the_files(database_file, canaries, mode)
    if "kept" in context:
        # What the purge keeps, the search still finds.
        assert found_in(sqlite_bytes(database_file), {"published": context["kept"]})
