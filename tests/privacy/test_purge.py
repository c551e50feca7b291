"""Retention you can prove: `flask privacy purge` applies every rule of DESIGN §4.

With a controlled clock, for each rule (tests/support/purge_scenarios.py): what is one
day short of its period stays, what is one day past it goes, aggregate counts are kept
first, a second purge changes nothing, a dry run deletes nothing and reports the same
counts, and the command prints counts only. A retention setting changes both the purge
and the privacy page. The exact second of each rule: test_retention_edges.py; an
inactive account and all it holds: test_purge_accounts.py; purges at once:
test_purge_concurrency.py.

Runs unchanged on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from advocacy.accounts.models import Account, Invite
from advocacy.events import rsvps
from advocacy.extensions import db
from advocacy.moderation.models import ModerationEntry
from advocacy.privacy import registry
from advocacy.stories.models import Story, StoryReport
from tests.accounts.helpers import invite_code, join
from tests.support.accounts import make_account
from tests.support.events import make_event
from tests.support.purge import (
    DAY,
    T0,
    account,
    keep_signed_in,
    present,
    purge_at,
    purger_names,
)
from tests.support.purge_scenarios import aggregates_of, ended_rsvps, scenarios

LINE = re.compile(r"^(?P<name>[A-Za-z ]+): (?P<verb>deleted|would delete) (?P<count>\d+)$")


def parse(output: str, verb: str) -> dict[str, int]:
    """Read `name: deleted N` lines; anything else in the output fails the test."""
    counts = {}
    for line in output.splitlines():
        match = LINE.match(line)
        assert match, f"unexpected output line: {line!r}"
        assert match["verb"] == verb
        counts[match["name"]] = int(match["count"])
    return counts


def private_words(app) -> set[str]:
    """Every pseudonym and story title, text and note in the database."""
    with app.app_context():
        words = set(db.session.scalars(select(Account.pseudonym)))
        for story in db.session.scalars(select(Story)):
            words |= {story.title, story.body, story.review_note}
        words |= set(db.session.scalars(select(StoryReport.note)))
        words |= set(db.session.scalars(select(ModerationEntry.note)))
    return {word for word in words if word}


def test_every_kind_of_record_has_a_purge(app):
    """Each retention rule is applied by at least one registered purge."""
    from advocacy.privacy.rules import retention_rules

    kinds = {purger.kind for purger in registry.purgers()}
    assert {rule.kind for rule in retention_rules()} <= kinds


@scenarios
def test_one_day_before_the_period_stays_one_day_after_goes(app, clock, build):
    scenario = build(app)
    before, after = scenario.due - DAY, scenario.due + DAY
    keep_signed_in(app, after.date(), except_ids=scenario.untouched)
    everything = scenario.expiring + scenario.staying

    counts = purge_at(app, before)
    assert counts[scenario.name] == 0
    assert all(present(app, everything))

    dry = purge_at(app, after, dry_run=True)
    assert dry[scenario.name] == scenario.count
    assert all(present(app, everything)), "a dry run deleted something"

    counts = purge_at(app, after)
    assert counts == dry
    assert not any(present(app, scenario.expiring))
    assert all(present(app, scenario.staying))
    kept = aggregates_of(app, scenario)
    assert kept == scenario.expected

    again = purge_at(app, after)
    assert set(again.values()) == {0}
    assert set(again) == purger_names()
    assert aggregates_of(app, scenario) == kept
    assert all(present(app, scenario.staying))


@scenarios
def test_the_command_prints_counts_only(app, clock, runner, build):
    scenario = build(app)
    keep_signed_in(app, (scenario.due + DAY).date(), except_ids=scenario.untouched)
    secrets = private_words(app)
    clock.current = scenario.due + DAY

    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert all(present(app, scenario.expiring + scenario.staying))
    real = runner.invoke(args=["privacy", "purge"])
    assert real.exit_code == 0, real.output
    again = runner.invoke(args=["privacy", "purge"])
    assert again.exit_code == 0, again.output

    would, deleted = parse(dry.output, "would delete"), parse(real.output, "deleted")
    assert set(deleted) == purger_names()
    assert deleted == would
    assert deleted[scenario.name] == scenario.count
    assert set(parse(again.output, "deleted").values()) == {0}
    assert not any(present(app, scenario.expiring))
    assert all(present(app, scenario.staying))
    for output in (dry.output, real.output, again.output):
        for secret in secrets:
            assert secret not in output


def test_spent_invites_go_at_the_next_purge(app, client, clock):
    spent = invite_code(app, T0)
    unused = invite_code(app, T0)
    join(client, spent, pseudonym="Quiet Fern")
    client.post("/logout")
    with app.app_context():
        assert sorted(db.session.scalars(select(Invite.uses_left))) == [0, 1]
    assert purge_at(app, T0)["invite codes"] == 1
    with app.app_context():
        assert list(db.session.scalars(select(Invite.uses_left))) == [1]
    assert purge_at(app, T0)["invite codes"] == 0
    # The unused code still lets someone join; the member who used the spent one stays.
    join(client, unused, pseudonym="Calm Birch")
    with app.app_context():
        joined = set(db.session.scalars(select(Account.pseudonym)))
    assert joined == {"Quiet Fern", "Calm Birch"}


# A retention setting changes both the purge and the privacy page


@pytest.mark.parametrize("app_overrides", [{"RETENTION_RSVP_DAYS": 7}])
def test_a_shorter_rsvp_period_purges_sooner_and_the_pages_say_so(app, client, auth, clock):
    scenario = ended_rsvps(app)
    assert scenario.days == 30  # the scenario's default; the setting overrides it
    due = scenario.anchor + timedelta(days=7)
    keep_signed_in(app, (due + DAY).date())
    assert purge_at(app, due - DAY)["RSVPs"] == 0
    assert all(present(app, scenario.expiring))
    assert purge_at(app, due + DAY)["RSVPs"] == 3
    assert not any(present(app, scenario.expiring))
    assert aggregates_of(app, scenario) == scenario.expected

    body = client.get("/privacy").get_data(as_text=True)
    assert "7 days after the end of the event" in body
    assert "30 days after the end of the event" not in body
    guest = make_account(app, "birch-guest")
    with app.app_context():
        organiser = db.session.scalar(select(Account.id).where(Account.pseudonym == "maple-staff"))
    coming = make_event(app, organiser, now=clock(), in_days=3)
    with app.app_context():
        rsvps.rsvp(account(guest.id), coming.first, now=clock())
        db.session.commit()
    auth.login(guest)
    page = client.get("/account").get_data(as_text=True)
    assert "7 days after each event ends" in page


@pytest.mark.parametrize("app_overrides", [{"RETENTION_INVITE_DAYS": 0}])
def test_a_period_of_no_days_is_said_as_the_next_daily_clean_up(app, client):
    # The purge runs once a day: a record with no period left goes at the next run,
    # not "at once".
    body = client.get("/privacy").get_data(as_text=True)
    assert "at the next daily clean-up after they expire or are used up" in body
    assert "at once, when they expire" not in body
    assert "at once after they expire" not in body


def deleted_cells(page: str) -> list[str]:
    """The privacy table's "Deleted" cells, words only."""
    cells = re.findall(r'<td data-label="[^"]*">((?:(?!</td>).)*)</td>', page, re.S)
    return [html.unescape(" ".join(cell.split())) for cell in cells][2::3]


@pytest.mark.parametrize("app_overrides", [{"RETENTION_INVITE_DAYS": 0}])
def test_each_period_reads_as_a_sentence(app, client):
    # "N days after <what starts it>": a noun or a clause, never "after when"; a period of
    # no days, "at the next daily clean-up after <it>"; in Spanish "después de que …".
    english = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    cells = deleted_cells(english)
    assert len(cells) == 12
    for cell in cells:
        assert re.fullmatch(r"(\d+ days?|at the next daily clean-up) after (?!when\b).+", cell), (
            cell
        )
    for said in (
        "90 days after the report was resolved",
        "90 days after the notice was sent (you can dismiss one sooner: it is deleted at once)",
        "180 days after the name stopped being used",
        "at the next daily clean-up after they expire or are used up",
        "at the next daily clean-up after they expire",
    ):
        assert said in cells
    spanish = client.get("/privacy", headers={"Accept-Language": "es"}).get_data(as_text=True)
    cells = deleted_cells(spanish)
    for said in (
        "90 días después de que se resolvió el reporte",
        "en la siguiente limpieza diaria después de que venzan o se agoten",
    ):
        assert said in cells
