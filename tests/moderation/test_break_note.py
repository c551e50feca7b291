"""The queue suggests a break, once a day (issue 15, point 3).

Rules: the moderator's own decisions today (the site's local date, America/New_York in the
tests, from the moderation log) are counted; at the setting MODERATION_BREAK_AFTER (3 here)
the queue says so, gently, once that day, and never stands in the way of the queue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.moderation import care
from advocacy.moderation.models import ModerationEntry
from tests.moderation.reading import main_of
from tests.support.accounts import make_account
from tests.support.stories import make_story

NOTE = "You've reviewed 3 stories today. It's okay to take a break."
BREAK = "It's okay to take a break."


@pytest.fixture
def app_overrides() -> dict:
    return {"MODERATION_BREAK_AFTER": 3}


def waiting(app, author_id: int, count: int) -> list[int]:
    return [make_story(app, author_id, state="pending", title=f"Waiting {n}") for n in range(count)]


def decide(client, story_id: int) -> None:
    response = client.post(
        f"/moderation/stories/{story_id}", data={"decision": "approve", "note": ""}
    )
    assert response.status_code == 303


def queue(client) -> str:
    response = client.get("/moderation")
    assert response.status_code == 200
    return main_of(response.get_data(as_text=True)).text()


def test_the_note_comes_once_at_the_threshold_and_not_before(app, client, auth, member, mentor):
    ids = waiting(app, member.id, 5)
    auth.login(mentor)
    for story_id in ids[:2]:
        decide(client, story_id)
        assert BREAK not in queue(client)
    decide(client, ids[2])
    shown = queue(client)
    assert NOTE in shown
    # Never in the way: the queue is all there, and the next story opens.
    assert "Waiting 3" in shown
    assert "Waiting 4" in shown
    assert client.get(f"/moderation/stories/{ids[3]}").status_code == 200
    # Not again that day, whatever happens next.
    assert BREAK not in queue(client)
    decide(client, ids[3])
    assert BREAK not in queue(client)


def test_decisions_on_reports_count_too(app, client, auth, member, other_member, mentor):
    ids = waiting(app, member.id, 2)
    reported = make_story(app, member.id, title="Reported", reporters=(other_member.id,))
    auth.login(mentor)
    for story_id in ids:
        decide(client, story_id)
    response = client.post(f"/moderation/reports/{reported}", data={"decision": "keep"})
    assert response.status_code == 303
    assert NOTE in queue(client)


def test_the_day_is_the_site_s_local_day(app, client, auth, clock, member, mentor):
    ids = waiting(app, member.id, 6)
    # 23:40 on 27 November in New York (04:40 UTC on the 28th).
    clock.current = datetime(2026, 11, 28, 4, 40, tzinfo=UTC)
    auth.login(mentor)
    for story_id in ids[:3]:
        decide(client, story_id)
    assert NOTE in queue(client)
    # 00:05 on the 28th in New York: a new day, with one decision so far (four in UTC's day).
    clock.advance(minutes=25)
    decide(client, ids[3])
    assert BREAK not in queue(client)
    decide(client, ids[4])
    decide(client, ids[5])
    assert NOTE in queue(client)  # the new day's note, once
    assert BREAK not in queue(client)


def test_another_moderator_s_decisions_are_not_counted(app, client, auth, member, mentor):
    ids = waiting(app, member.id, 3)
    other = make_account(app, "wren-mentor", role="mentor")
    auth.login(other)
    for story_id in ids:
        decide(client, story_id)
    auth.logout()
    auth.login(mentor)
    assert BREAK not in queue(client)


def test_zero_turns_the_note_off(app, client, auth, member, mentor):
    app.config["MODERATION_BREAK_AFTER"] = 0
    ids = waiting(app, member.id, 3)
    auth.login(mentor)
    for story_id in ids:
        decide(client, story_id)
        assert BREAK not in queue(client)


def test_at_one_it_says_one_story(app, client, auth, member, mentor):
    app.config["MODERATION_BREAK_AFTER"] = 1
    (story_id,) = waiting(app, member.id, 1)
    auth.login(mentor)
    assert BREAK not in queue(client)
    decide(client, story_id)
    assert "You've reviewed 1 story today. It's okay to take a break." in queue(client)


def test_a_day_runs_from_local_midnight_to_the_next(app, mentor):
    # 27 November 2026 in New York (EST, UTC-5): from 05:00 UTC that day to 05:00 UTC the next.
    starts, ends = datetime(2026, 11, 27, 5, tzinfo=UTC), datetime(2026, 11, 28, 5, tzinfo=UTC)
    tick = timedelta(microseconds=1)
    with app.test_request_context():
        for at in (starts - tick, starts, ends - tick, ends):
            db.session.add(ModerationEntry(actor_id=mentor.id, action="approved", created_at=at))
        db.session.flush()
        assert care.decisions_on(db.session.get(Account, mentor.id), date(2026, 11, 27)) == 2
