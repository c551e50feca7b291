"""An inactive account goes with everything linked to it, on the date its page shows.

DESIGN §4: an account is kept until 18 months without a login (548 days, the setting's
default); the account page says on which date it goes, and what else is held and when
that goes. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select, update

from advocacy.accounts import invites
from advocacy.accounts.models import Account, Invite
from advocacy.events import rsvps as event_rsvps
from advocacy.events.models import Occurrence
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.privacy import registry
from advocacy.programs import services as programs
from advocacy.programs.models import Program
from advocacy.staff import services as staff
from advocacy.staff.models import AuditEntry
from advocacy.stories import reading
from advocacy.stories import services as stories
from advocacy.stories.models import Story, StoryPreference, StoryReport
from tests.support.accounts import make_account
from tests.support.dates import english_date
from tests.support.events import make_event
from tests.support.programs import make_program
from tests.support.purge import (
    DAY,
    T0,
    account,
    keep_signed_in,
    person,
    purge_at,
)
from tests.support.retention import SITE
from tests.support.stories import make_story


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
    assert english_date(goes_on) in page
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
        reading.set_hidden_warnings(member, ["violence"])
        event_rsvps.rsvp(member, meeting.first, now=made)
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
    assert f"on {english_date(goes_on)} unless you sign in" in page
    keep_signed_in(app, goes_on, except_ids=(away.id,))
    # 03:00 that day in New York, the site's calendar.
    assert purge_at(app, datetime.combine(goes_on, time(3), SITE))["inactive accounts"] == 1


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
