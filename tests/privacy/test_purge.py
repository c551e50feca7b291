"""Retention you can prove: `flask privacy purge` applies every rule of DESIGN §4.

With a controlled clock, for each rule: what is one day short of its period stays,
what is one day past it goes, aggregate counts are kept first, a second purge
changes nothing, a dry run deletes nothing and reports the same counts, and the
command prints counts only. Then: an inactive account goes with everything linked
to it (the account page said when), a retention setting changes both the purge and
the privacy page, and two purges at once share the work without an error.

Runs unchanged on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from advocacy.accounts import invites
from advocacy.accounts.models import Account, Invite, ResetCode
from advocacy.events import services as events
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.moderation import services as moderation
from advocacy.moderation.models import ModerationEntry
from advocacy.notices.models import Notice
from advocacy.notices.services import mark_all_read, notify
from advocacy.privacy import registry
from advocacy.privacy.services import purge
from advocacy.programs import services as programs
from advocacy.programs.models import CompletionLetter, Enrollment, Program
from advocacy.staff import services as staff
from advocacy.staff.models import AuditEntry
from advocacy.stories import services as stories
from advocacy.stories.models import Story, StoryPreference, StoryReport
from tests.accounts.helpers import invite_code, join
from tests.support.accounts import make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.events import make_event
from tests.support.programs import make_program
from tests.support.stories import make_story, moderator

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
LINE = re.compile(r"^(?P<name>[A-Za-z ]+): (?P<verb>deleted|would delete) (?P<count>\d+)$")

Row = tuple[type, int]


# Helpers


def purge_at(app, now: datetime, **options) -> dict[str, int]:
    """Run the purge as `flask privacy purge` does, at `now`."""
    with app.app_context():
        return purge(now, **options)


def keep_signed_in(app, on: date, *, except_ids: tuple[int, ...] = ()) -> None:
    """Mark every account but except_ids as signed in on `on`, so only they may expire."""
    with app.app_context():
        db.session.execute(
            update(Account).where(Account.id.not_in(except_ids)).values(last_login_on=on)
        )
        db.session.commit()


def present(app, rows: list[Row]) -> list[bool]:
    """Say, for each (model, id), whether the row is still in the database."""
    with app.app_context():
        return [db.session.get(model, row_id) is not None for model, row_id in rows]


def person(app, pseudonym: str, role: str = "member") -> int:
    return make_account(app, pseudonym, role=role).id


def account(account_id: int) -> Account:
    return db.session.get(Account, account_id)


def resubmit(author_id: int, story_id: int, *, now: datetime, body: str) -> None:
    """Send a new version of a story for review (confirming any identity findings)."""
    author, story = account(author_id), db.session.get(Story, story_id)
    data = stories.StoryInput(title=story.title, body=body)
    result = stories.submit(author, data, now=now, story=story)
    if not result.submitted:
        stories.submit(author, data, now=now, story=story, confirmed=result.fingerprint)


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


def purger_names() -> set[str]:
    return {purger.name for purger in registry.purgers()}


# One scenario per rule


@dataclass
class Scenario:
    """Records of one kind, with the moment their period starts counting from."""

    name: str  # the purger's name in the counts
    anchor: datetime  # when the period starts (sign-in, read, end of the event…)
    days: int  # the period in force
    count: int  # how many records of this kind the purge deletes
    expiring: list[Row]  # rows that go one day after the period (with what hangs off them)
    staying: list[Row]  # rows that stay even then
    untouched: tuple[int, ...] = ()  # accounts whose last sign-in the test must not change
    aggregates: Callable[[], dict] | None = None
    expected: dict = field(default_factory=dict)

    @property
    def due(self) -> datetime:
        return self.anchor + timedelta(days=self.days)


def inactive_accounts(app) -> Scenario:
    away = person(app, "fern-away")
    never = person(app, "moss-never")
    recent = person(app, "reed-recent")
    with app.app_context():
        account(away).last_login_on = T0.date()
        account(never).created_at = T0  # joined, never signed in
        account(recent).last_login_on = T0.date() + timedelta(days=10)
        db.session.commit()
    return Scenario(
        "inactive accounts",
        T0,
        548,
        2,
        [(Account, away), (Account, never)],
        [(Account, recent)],
        untouched=(away, never, recent),
    )


def expired_invites(app) -> Scenario:
    with app.app_context():
        for days in (14, 24):
            invites.create_invite(
                role="member",
                uses=1,
                expires_in=timedelta(days=days),
                now=T0 - 14 * DAY,
                inviter=None,
            )
        db.session.commit()
        expired, later = db.session.scalars(select(Invite.id).order_by(Invite.expires_at))
    return Scenario("invite codes", T0, 0, 1, [(Invite, expired)], [(Invite, later)])


def expired_reset_codes(app) -> Scenario:
    admin = make_account(app, "wren-admin", role="admin").id
    for pseudonym in ("lark-locked", "tern-locked"):
        person(app, pseudonym)
    with app.app_context():
        actor = account(admin)
        staff.issue_reset_code(actor, "lark-locked", now=T0 - DAY, hours=24)
        staff.issue_reset_code(actor, "tern-locked", now=T0 + 9 * DAY, hours=24)
        db.session.commit()
        expired, later = db.session.scalars(select(ResetCode.id).order_by(ResetCode.expires_at))
    return Scenario("reset codes", T0, 0, 1, [(ResetCode, expired)], [(ResetCode, later)])


def read_notices(app) -> Scenario:
    reader, other = person(app, "ash-reader"), person(app, "elm-unread")
    with app.app_context():
        read = notify(reader, "event_changed", now=T0 - 10 * DAY, title="Circle")
        unread = notify(other, "event_changed", now=T0 - 10 * DAY, title="Circle")
        db.session.flush()
        mark_all_read(reader, now=T0)
        db.session.commit()
        days = app.config["RETENTION_NOTICE_READ_DAYS"]
        return Scenario("notices", T0, days, 1, [(Notice, read.id)], [(Notice, unread.id)])


def unread_notices(app) -> Scenario:
    owner = person(app, "oak-owner")
    with app.app_context():
        old = notify(owner, "event_changed", now=T0, title="Circle")
        newer = notify(owner, "event_changed", now=T0 + 10 * DAY, title="Circle")
        db.session.commit()
        return Scenario("notices", T0, 90, 1, [(Notice, old.id)], [(Notice, newer.id)])


def ended_rsvps(app) -> Scenario:
    organiser = make_account(app, "maple-staff", role="staff").id
    members = [person(app, f"guest-{n}") for n in range(3)]
    past = make_event(app, organiser, now=T0 - 5 * DAY, in_days=2)
    coming = make_event(app, organiser, now=T0 - 5 * DAY, in_days=70, title="Spring circle")
    with app.app_context():
        booked = [events.rsvp(account(m), past.first, now=T0 - 5 * DAY).id for m in members]
        later = events.rsvp(account(members[0]), coming.first, now=T0 - 5 * DAY).id
        events.record_attendance(past.first, set(booked[:2]), now=T0)
        db.session.commit()
        ended = db.session.get(Occurrence, past.first).ends_at

    def aggregates() -> dict:
        return {
            "attended": db.session.get(Occurrence, past.first).attended_count,
            "coming": db.session.get(Occurrence, coming.first).attended_count,
        }

    return Scenario(
        "RSVPs",
        ended,
        30,
        3,
        [(Rsvp, rsvp_id) for rsvp_id in booked],
        [(Rsvp, later), (Occurrence, past.first)],
        aggregates=aggregates,
        expected={"attended": 2, "coming": 0},
    )


def ended_enrollments(app) -> Scenario:
    organiser = make_account(app, "maple-staff", role="staff").id
    members = [person(app, f"learner-{n}") for n in range(3)]
    ended = make_program(app, organiser, now=T0, capacity=2, meetings=0)
    running = make_program(app, organiser, now=T0 + 300 * DAY, title="Leading", meetings=0)
    with app.app_context():
        rows = [programs.enroll(account(m), ended.id, now=T0).id for m in members]
        programs.complete(ended.id, rows[0], now=T0 + 80 * DAY)
        programs.issue_letter(account(members[0]), ended.id, now=T0 + 81 * DAY)
        later = programs.enroll(account(members[1]), running.id, now=T0 + 300 * DAY).id
        db.session.commit()
        letter = db.session.scalar(select(CompletionLetter.id))
        ends_on = db.session.get(Program, ended.id).ends_on

    def aggregates() -> dict:
        program = db.session.get(Program, ended.id)
        still = db.session.get(Program, running.id)
        return {
            "enrolled": program.enrolled_count,
            "completed": program.completed_count,
            "running": (still.enrolled_count, still.completed_count),
        }

    return Scenario(
        "program enrollments",
        datetime.combine(ends_on, time(12), UTC),
        365,
        3,
        [*((Enrollment, row) for row in rows), (CompletionLetter, letter)],
        [(Enrollment, later), (Program, ended.id)],
        aggregates=aggregates,
        # Two held a place (the third waited), one finished.
        expected={"enrolled": 2, "completed": 1, "running": (0, 0)},
    )


def old_audit_entries(app) -> Scenario:
    admin = make_account(app, "wren-admin", role="admin").id
    target = person(app, "sage-member")
    with app.app_context():
        for when in (T0, T0 + 10 * DAY):
            staff.record(account(admin), "role_changed", account(target), now=when)
        db.session.commit()
        old, newer = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.created_at))
    return Scenario("admin log entries", T0, 180, 1, [(AuditEntry, old)], [(AuditEntry, newer)])


def abandoned_drafts(app) -> Scenario:
    author = person(app, "ivy-writer")
    published = make_story(app, author, now=T0 - 10 * DAY, title="Out in the open")
    # Sent back for changes and never touched again: a draft like any other.
    sent_back = make_story(app, author, state="changes_requested", now=T0, title="Sent back")
    with app.app_context():
        data = stories.StoryInput(title="Half a story", body="Unfinished lines.")
        old = stories.save_draft(account(author), data, now=T0).id
        newer = stories.save_draft(account(author), data, now=T0 + 10 * DAY).id
        # An edit of a published story is a draft too, but the published version stays up.
        stories.save_draft(
            account(author),
            stories.StoryInput(title="Out in the open", body="A second version."),
            now=T0,
            story=db.session.get(Story, published),
        )
        db.session.commit()
    return Scenario(
        "story drafts",
        T0,
        180,
        2,
        [(Story, old), (Story, sent_back)],
        [(Story, newer), (Story, published)],
    )


def declined_stories(app) -> Scenario:
    author, reader = person(app, "ivy-writer"), person(app, "rue-reader")
    declined = make_story(app, author, state="declined", now=T0, title="Not this one")
    later = make_story(app, author, state="declined", now=T0 + 10 * DAY, title="Nor this")
    taken_down = make_story(app, author, now=T0 - 5 * DAY, title="Gone", reporters=(reader,))
    revised = make_story(app, author, now=T0 - 10 * DAY, title="Still up")
    with app.app_context():
        mentor = moderator()
        moderation.decide_reports(mentor, taken_down, "remove", note="Harmful.", now=T0)
        # A declined new version of a published story: the published version stays up.
        resubmit(author, revised, now=T0 - 5 * DAY, body="A new version.")
        moderation.decide_story(
            mentor, revised, "decline", note="Keep the first.", seen_updated_at=None, now=T0
        )
        db.session.commit()
        report = db.session.scalar(select(StoryReport.id).where(StoryReport.story_id == taken_down))
        history = list(
            db.session.scalars(
                select(ModerationEntry.id).where(
                    ModerationEntry.story_id.in_([declined, taken_down])
                )
            )
        )
    return Scenario(
        "declined stories",
        T0,
        30,
        2,
        # A story goes with its reports and its moderation history.
        [
            (Story, declined),
            (Story, taken_down),
            (StoryReport, report),
            *((ModerationEntry, entry) for entry in history),
        ],
        [(Story, later), (Story, revised)],
    )


def resolved_reports(app) -> Scenario:
    author = person(app, "ivy-writer")
    readers = [person(app, f"reader-{n}") for n in range(3)]
    kept = make_story(app, author, now=T0 - 5 * DAY, title="Kept up", reporters=tuple(readers[:2]))
    still_open = make_story(app, author, now=T0, title="Under review", reporters=(readers[2],))
    with app.app_context():
        moderation.decide_reports(moderator(), kept, "keep", note="", now=T0)
        db.session.commit()
        resolved = list(
            db.session.scalars(select(StoryReport.id).where(StoryReport.story_id == kept))
        )
        open_report = db.session.scalar(
            select(StoryReport.id).where(StoryReport.story_id == still_open)
        )
    return Scenario(
        "story reports",
        T0,
        90,
        2,
        [(StoryReport, report) for report in resolved],
        [(StoryReport, open_report), (Story, kept), (Story, still_open)],
    )


def old_moderation_entries(app) -> Scenario:
    author = person(app, "ivy-writer")
    approved = make_story(app, author, now=T0, title="Approved long ago")
    newer = make_story(app, author, now=T0 + 10 * DAY, title="Approved later")
    with app.app_context():
        old, recent = (
            db.session.scalar(select(ModerationEntry.id).where(ModerationEntry.story_id == story))
            for story in (approved, newer)
        )
    return Scenario(
        "moderation log entries",
        T0,
        180,
        1,
        [(ModerationEntry, old)],
        [(ModerationEntry, recent), (Story, approved), (Story, newer)],
    )


SCENARIOS = {
    "account inactive 548 days": inactive_accounts,
    "invite expired": expired_invites,
    "reset code expired": expired_reset_codes,
    "notice read 30 days": read_notices,
    "notice unread 90 days": unread_notices,
    "rsvp 30 days after the event": ended_rsvps,
    "enrollment 365 days after the program": ended_enrollments,
    "admin log 180 days": old_audit_entries,
    "story draft 180 days": abandoned_drafts,
    "declined story 30 days": declined_stories,
    "report 90 days after resolution": resolved_reports,
    "moderation log 180 days": old_moderation_entries,
}
scenarios = pytest.mark.parametrize("build", SCENARIOS.values(), ids=SCENARIOS.keys())


def aggregates_of(app, scenario: Scenario) -> dict:
    if scenario.aggregates is None:
        return {}
    with app.app_context():
        return scenario.aggregates()


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


# An inactive account, and everything linked to it


def rows_linked_to(account_id: int) -> dict[str, int]:
    """Count the rows of every table whose foreign key points at the account."""
    found = {}
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name != "accounts":
                continue
            number = db.session.scalar(
                select(func.count()).select_from(table).where(key.parent == account_id)
            )
            if number:
                found[f"{table.name}.{key.parent.name}"] = number
    return found


def test_an_inactive_account_goes_with_everything_linked_and_its_page_said_when(
    app, client, auth, clock
):
    away = make_account(app, "willow-away")
    clock.current = T0
    auth.login(away)
    page = client.get("/account").get_data(as_text=True)
    goes_on = T0.date() + timedelta(days=548)
    assert goes_on.isoformat() in page
    auth.logout()

    # Data made near the end, none of it expired on its own when the account goes.
    made = T0 + 540 * DAY
    clock.current = made
    organiser = make_account(app, "maple-staff", role="staff").id
    admin = make_account(app, "wren-admin", role="admin").id
    other = person(app, "cedar-member")
    published = make_story(app, away.id, now=made, title="Willow canary published")
    others_story = make_story(app, other, now=made, title="Cedar story", reporters=(away.id,))
    meeting = make_event(app, organiser, now=made, in_days=30)
    program = make_program(app, organiser, now=made, meetings=0)
    with app.app_context():
        member = account(away.id)
        draft = stories.save_draft(
            member, stories.StoryInput(title="Willow canary draft", body="Draft text."), now=made
        ).id
        stories.set_hidden_warnings(member, ["violence"])
        events.rsvp(member, meeting.first, now=made)
        programs.enroll(member, program.id, now=made)
        notify(away.id, "event_changed", now=made, title="Circle")
        staff.record(account(admin), "role_changed", member, now=made)
        invites.create_invite(
            role="member", uses=1, expires_in=timedelta(days=14), now=made, inviter=None
        )
        db.session.execute(update(Invite).values(created_by_id=away.id))
        db.session.commit()
        with app.test_request_context():
            exported = registry.export_account(member, now=made)
        linked = rows_linked_to(away.id)
    for held in (
        exported["stories"]["stories"],
        exported["stories"]["reports"],
        exported["events"]["rsvps"],
        exported["programs"],
        exported["notices"],
    ):
        assert held
    assert {
        "stories.author_id",
        "story_reports.reporter_id",
        "story_preferences.account_id",
        "rsvps.account_id",
        "enrollments.account_id",
        "notices.account_id",
        "audit_entries.target_id",
        "invites.created_by_id",
    } <= set(linked)

    gone = datetime.combine(goes_on + DAY, time(12), UTC)
    keep_signed_in(app, gone.date(), except_ids=(away.id,))
    clock.current = gone
    dry = purge_at(app, gone, dry_run=True)
    counts = purge_at(app, gone)
    assert counts["inactive accounts"] == 1
    assert counts == dry
    with app.app_context():
        assert db.session.get(Account, away.id) is None
        assert rows_linked_to(away.id) == {}
        # Stories are deleted, not left behind without an author.
        assert db.session.get(Story, published) is None
        assert db.session.get(Story, draft) is None
        assert db.session.get(StoryPreference, away.id) is None
        assert db.session.get(Story, others_story) is not None
        assert db.session.scalar(select(func.count()).select_from(StoryReport)) == 0
        # What others need stays, unlinked: the audit entry and the invite.
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
        assert db.session.scalar(select(func.count()).select_from(Invite)) == 1
        assert db.session.get(Occurrence, meeting.first).taken == 0
        assert db.session.get(Program, program.id).taken == 0
    assert set(purge_at(app, gone).values()) == {0}
    refused = auth.login(away)
    assert refused.status_code == 200
    assert "Sign out" not in refused.get_data(as_text=True)


HELD = re.compile(
    r"<li><strong>(?P<what>[^<]*)</strong>: (?P<count>\d+) · "
    r'<span class="meta">deleted (?P<goes>[^<]*)</span></li>'
)


def held_items(page: str) -> list[tuple[str, int, str]]:
    """The "what we hold about you" lines of the account page: what, how many, when it goes."""
    return [(m["what"], int(m["count"]), m["goes"]) for m in HELD.finditer(page)]


def test_an_inactive_account_goes_on_the_date_its_page_shows(app, client, auth, clock):
    away = make_account(app, "willow-away")
    clock.current = T0
    auth.login(away)
    page = client.get("/account").get_data(as_text=True)
    auth.logout()
    goes_on = T0.date() + timedelta(days=548)
    assert f"on {goes_on.isoformat()} unless you sign in" in page
    keep_signed_in(app, goes_on, except_ids=(away.id,))
    assert purge_at(app, datetime.combine(goes_on, time(3), UTC))["inactive accounts"] == 1


def test_the_account_page_says_when_stories_and_reports_go(app, client, auth, clock):
    writer, author = make_account(app, "ivy-writer"), person(app, "rue-author")
    make_story(app, writer.id, state="draft", title="Half a story")
    make_story(app, writer.id, title="Out in the open")
    make_story(app, author, title="Someone else's", reporters=(writer.id,))
    auth.login(writer)
    items = held_items(client.get("/account").get_data(as_text=True))
    assert items, "the account page lists nothing held"
    stories_held = [(n, goes) for what, n, goes in items if "stor" in what.lower()]
    reports_held = [(n, goes) for what, n, goes in items if "report" in what.lower()]
    assert [n for n, _ in stories_held] == [2]
    assert "180 days" in stories_held[0][1]
    assert "30 days" in stories_held[0][1]
    assert [n for n, _ in reports_held] == [1]
    assert "90 days" in reports_held[0][1]


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
        events.rsvp(account(guest.id), coming.first, now=clock())
        db.session.commit()
    auth.login(guest)
    page = client.get("/account").get_data(as_text=True)
    assert "7 days after each event ends" in page


# Two purges at once


def purge_together(app, now: datetime, *, hosts: int = 2, batch_size: int = 100) -> list:
    """Run `hosts` purges at the same instant, each in its own app context and thread."""
    start = threading.Barrier(hosts, timeout=CEILING_SECONDS)
    results: list = [None] * hosts

    def run(index: int) -> None:
        try:
            with app.app_context():
                start.wait()
                results[index] = purge(now, batch_size=batch_size)
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(hosts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=CEILING_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a purge hung"
    return results


def test_two_purges_at_once_share_2000_expired_notices(app):
    owners = [person(app, f"owner-{n}") for n in range(4)]
    with app.app_context():
        db.session.execute(
            insert(Notice),
            [
                {
                    "account_id": owners[n % 4],
                    "kind": "event_changed",
                    "params": {"title": "Circle"},
                    "created_at": T0 - 100 * DAY,
                }
                for n in range(2000)
            ],
        )
        db.session.commit()
    keep_signed_in(app, T0.date())

    results = purge_together(app, T0)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    assert sum(result["notices"] for result in results) == 2000
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notice)) == 0
    assert set(purge_at(app, T0).values()) == {0}


def test_two_purges_at_once_keep_every_attendance_count(app):
    """RSVPs of many meetings, interleaved: both purges add to the same counts."""
    organiser = make_account(app, "maple-staff", role="staff").id
    meetings = [
        make_event(app, organiser, now=T0 - 60 * DAY, in_days=1 + n, title=f"Circle {n}").first
        for n in range(12)
    ]
    guests = [person(app, f"guest-{n}") for n in range(50)]
    with app.app_context():
        db.session.execute(
            insert(Rsvp),
            [
                {
                    "occurrence_id": meeting,
                    "account_id": guest,
                    "status": "confirmed",
                    "attended": True,
                    "created_at": T0 - 60 * DAY,
                }
                for guest in guests
                for meeting in meetings
            ],
        )
        db.session.commit()
    keep_signed_in(app, T0.date())

    results = purge_together(app, T0, batch_size=50)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    assert sum(result["RSVPs"] for result in results) == 600
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 0
        counts = db.session.scalars(
            select(Occurrence.attended_count).where(Occurrence.id.in_(meetings))
        )
        assert list(counts) == [50] * 12


def test_two_purges_at_once_delete_inactive_accounts_sharing_meetings(app):
    """Inactive members each booked three of eight meetings, in varied orders."""
    organiser = make_account(app, "maple-staff", role="staff").id
    meetings = [
        make_event(app, organiser, now=T0, in_days=5 + n, title=f"Circle {n}").first
        for n in range(8)
    ]
    guests = [person(app, f"guest-{n}") for n in range(200)]
    choose = random.Random(4)
    with app.app_context():
        db.session.execute(
            insert(Rsvp),
            [
                {"occurrence_id": meeting, "account_id": guest, "status": "waitlisted"}
                for guest in guests
                for meeting in choose.sample(meetings, 3)
            ],
        )
        db.session.commit()
    keep_signed_in(app, T0.date() - 600 * DAY, except_ids=(organiser,))
    keep_signed_in(app, T0.date(), except_ids=tuple(guests))

    results = purge_together(app, T0, batch_size=10)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    assert sum(result["inactive accounts"] for result in results) == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 0
        assert db.session.scalar(select(func.count()).select_from(Account)) == 1
