"""Export and deletion are complete: every table that links to an account is walked.

The schema is read from `db.metadata`, not from a list kept by hand:

- a *link* is a column with a foreign key to `accounts.id` (`rsvps.account_id`);
- a *hanging* column is a foreign key to a table reached from a link
  (`completion_letters.enrollment_id`, `story_reports.story_id`, `rsvps.occurrence_id`).

Each must be named below: what deletion does to it (ON_DELETE), where the export shows
it (EXPORTED, or HANGING with a reason when the rows are someone else's), and
`give_everything` must create a row there. A new table that links to accounts and is
not named fails `test_every_link_to_accounts_is_covered`, with a message saying what
to add. The same runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, func, select

from advocacy.accounts import invites, recovery
from advocacy.accounts.models import Account, Role
from advocacy.events import rsvps as event_rsvps
from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from advocacy.programs import attendance as program_attendance
from advocacy.programs import completion, sessions
from advocacy.programs import services as programs
from advocacy.programs.models import Program, ProgramSession
from advocacy.staff import services as staff
from advocacy.stories import reading
from advocacy.stories import reports as story_reports
from advocacy.stories import services as stories
from advocacy.stories.models import Story
from tests.support.accounts import MadeAccount, make_account
from tests.support.events import MadeEvent, make_event
from tests.support.programs import MadeProgram, make_program
from tests.support.stories import make_story

# What deletion does to the rows of each link.
GONE = "deleted with the account"
UNLINKED = "kept, with the link set to NULL"
STORIES = "published stories deleted or kept as Anonymous (the member's choice); others deleted"

ON_DELETE = {
    "audit_entries.actor_id": UNLINKED,
    "audit_entries.approver_id": UNLINKED,
    "audit_entries.target_id": UNLINKED,
    "enrollments.account_id": GONE,
    "event_hosts.account_id": GONE,
    "events.created_by_id": UNLINKED,
    "invites.created_by_id": UNLINKED,
    "moderation_entries.actor_id": UNLINKED,
    "notices.account_id": GONE,
    "program_hosts.account_id": GONE,
    "programs.created_by_id": UNLINKED,
    "recovery_codes.account_id": GONE,
    "reset_codes.account_id": GONE,
    "reset_codes.approved_by_id": UNLINKED,
    "reset_codes.issued_by_id": UNLINKED,
    "rsvps.account_id": GONE,
    "stories.author_id": STORIES,
    "story_preferences.account_id": GONE,
    "story_reports.reporter_id": GONE,
}

# Rows hanging off linked rows: where the export shows them, or why it must not.
# Deletion needs no rule: they go with their parent, or stay exactly as they were.
OTHERS = "another member's row (not this account's data)"
HANGING: dict[str, str | None] = {
    "completion_letters.enrollment_id": None,  # exported: see HANGING_EXPORTED
    "enrollments.program_id": OTHERS + ": places in a program the account created",
    "event_hosts.event_id": OTHERS + ": who else runs an event the account scheduled",
    "events.program_id": "the program's meetings, part of the program, not of a person",
    "moderation_entries.story_id": None,
    "notices.story_id": (
        "notices about the account's stories: its own are exported with its notices; a "
        "reporter's outcome is the reporter's"
    ),
    "occurrences.event_id": "the dates of an event, not of a person",
    "program_hosts.program_id": OTHERS + ": who else runs a program the account created",
    "program_sessions.program_id": "a program's sessions, part of the program, not of a person",
    "rsvps.occurrence_id": OTHERS + ": RSVPs to an event the account scheduled",
    "session_progress.enrollment_id": None,  # exported: see HANGING_EXPORTED
    "session_progress.session_id": OTHERS + ": sessions done in a program the account created",
    "story_reports.story_id": OTHERS + ": who reported a story is never shown to its author",
}


# The world: an account with a row in every linked table, another one just like it,
# and the people around them.


@dataclass
class People:
    admin: MadeAccount  # issues a reset code for each of them (audit target)
    staff: MadeAccount  # runs the event and program both RSVP and enroll in
    bystander: MadeAccount  # reports their stories, RSVPs and enrolls in what they run
    shared_event: MadeEvent
    shared_program: MadeProgram


@dataclass
class World:
    subject: MadeAccount
    other: MadeAccount
    people: People
    tags: dict[int, str]  # account id -> a string in every title and note of theirs


SUBJECT_TAG, OTHER_TAG = "tagAx7q", "tagBy9w"


def give_everything(app, made: MadeAccount, tag: str, people: People, now: datetime) -> None:
    """Give an (admin) account at least one row in every table that links to accounts."""
    helped = make_account(app, f"{tag}-helped")  # someone whose reset codes they deal with
    with app.app_context():
        account = db.session.get(Account, made.id)
        admin = db.session.get(Account, people.admin.id)
        recovery.issue_recovery_codes(account)
        # A reset code for them (reset_codes), which the admin log records (target).
        staff.issue_reset_code(admin, made.pseudonym, now=now, hours=24)
        # A staff code for someone else that they approve, and that is then used: the log
        # records them as its approver (audit approver).
        staff_member = db.session.get(Account, people.staff.id)
        code = staff.issue_reset_code(staff_member, helped.pseudonym, now=now, hours=24).code
        (waiting,) = [row for row in staff.pending_reset_codes(now) if row[1] == helped.pseudonym]
        staff.approve_reset_code(account, waiting[0].id, now=now)
        recovery.recover_account(
            pseudonym=helped.pseudonym,
            code=code,
            new_password="harbor juniper morning ember",
            now=now,
            site_name="Pathways",
        )
        # A reset code they issue (and, as an admin, approve) for someone else: the codes'
        # issuer and approver, and the audit actor.
        staff.issue_reset_code(account, helped.pseudonym, now=now, hours=24)
        invites.create_invite(
            role=Role.MEMBER, uses=3, expires_in=timedelta(days=7), now=now, inviter=account
        )
        reading.set_hidden_warnings(account, ["violence"])
        db.session.commit()

    # Stories: published (reported, with a mentor's decision and a notice), published and
    # then edited (the edit unreviewed), and a draft.
    make_story(
        app,
        made.id,
        title=f"{tag} published",
        body=f"{tag} published words.",
        reporters=(people.bystander.id,),
        now=now,
    )
    edited = make_story(
        app, made.id, title=f"{tag} approved title", body=f"{tag} approved.", now=now
    )
    with app.app_context():
        stories.save_draft(
            db.session.get(Account, made.id),
            stories.StoryInput(
                title=f"{tag} unreviewed title",
                body=f"{tag} unreviewed edit.",
                audience="public",
            ),
            now=now,
            story=db.session.get(Story, edited),
        )
        db.session.commit()
    make_story(app, made.id, state="draft", title=f"{tag} draft", body=f"{tag} draft.", now=now)
    # A story they decide on as a mentor (moderation actor), and then report.
    theirs = make_story(
        app, people.bystander.id, title=f"Bystander story {tag}", mentor_id=made.id, now=now
    )

    own_event = make_event(app, made.id, title=f"{tag} circle", now=now)
    own_program = make_program(app, made.id, title=f"{tag} program", now=now)
    with app.app_context():
        account = db.session.get(Account, made.id)
        bystander = db.session.get(Account, people.bystander.id)
        story_reports.report(
            account, theirs, category="harassment", note=f"{tag} report note", now=now
        )
        event_rsvps.rsvp(account, people.shared_event.first, now=now)
        event_rsvps.rsvp(bystander, own_event.first, now=now)
        enrollment = programs.enroll(account, people.shared_program.id, now=now)
        # Attendance at a meeting of the program (an RSVP row that is part of the place):
        # staff add yesterday's meeting, with everyone who has a place recorded.
        program_attendance.add_past_meeting(
            db.session.get(Account, people.staff.id),
            people.shared_program.id,
            program_attendance.PastMeeting(
                title="Shared program catch-up",
                area="Queens",
                timezone="UTC",
                day=now.date() - timedelta(days=1),
                starts=time(10),
                ends=time(11),
            ),
            {account.id},
            now=now,
        )
        completion.complete(people.shared_program.id, enrollment.id, now=now)
        completion.issue_letter(account, people.shared_program.id, now=now)
        # A session of the shared program they marked done (part of their place), and one
        # of their own program that the bystander marked done.
        programs.enroll(bystander, own_program.id, now=now)
        for program_id, who in ((people.shared_program.id, account), (own_program.id, bystander)):
            written = sessions.add_session(
                program_id, sessions.SessionDetails(f"{tag} session", "Read.", "", None), now=now
            )
            sessions.mark(who, program_id, written.id, done=True)
        db.session.commit()


def build_world(app, now: datetime) -> World:
    admin = make_account(app, "wren-admin", role=Role.ADMIN)
    staff_member = make_account(app, "maple-staff", role=Role.STAFF)
    bystander = make_account(app, "cedar-bystander")
    people = People(
        admin=admin,
        staff=staff_member,
        bystander=bystander,
        shared_event=make_event(app, staff_member.id, title="Shared circle", now=now),
        shared_program=make_program(
            app, staff_member.id, title="Shared program", now=now, starts_in=-1
        ),
    )
    subject = make_account(app, "river-subject", role=Role.ADMIN)
    other = make_account(app, "heron-other", role=Role.ADMIN)
    give_everything(app, subject, SUBJECT_TAG, people, now)
    give_everything(app, other, OTHER_TAG, people, now)
    return World(subject, other, people, {subject.id: SUBJECT_TAG, other.id: OTHER_TAG})


@pytest.fixture
def world(app, clock) -> World:
    return build_world(app, clock())


# Reading the schema


def name(column) -> str:
    return f"{column.table.name}.{column.name}"


def links(metadata: MetaData) -> list[Column]:
    """Every column with a foreign key to accounts.id."""
    return [
        fk.parent
        for table in metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "accounts" and fk.column.name == "id"
    ]


def hanging(metadata: MetaData) -> list[Column]:
    """Every foreign key (not to accounts) into a table reached from a link, to any depth."""
    reached = {column.table.name for column in links(metadata)}
    found: dict[str, Column] = {}
    while True:
        before = len(found)
        for table in metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name in reached and fk.column.table.name != "accounts":
                    found[name(fk.parent)] = fk.parent
                    reached.add(table.name)
        if len(found) == before:
            return list(found.values())


def uncovered(metadata: MetaData) -> list[str]:
    """Say what a link or hanging column the tests don't know about needs."""
    problems = []
    for column in links(metadata):
        if name(column) not in ON_DELETE or name(column) not in EXPORTED:
            problems.append(
                f"{name(column)} refers to accounts but tests/privacy/test_completeness.py "
                "does not cover it: add a row for it in give_everything(), say where the "
                "export shows it in EXPORTED, and what deletion does to it in ON_DELETE "
                "(and register export and deletion for it in the domain's privacy.py)."
            )
    for column in hanging(metadata):
        if name(column) not in HANGING:
            problems.append(
                f"{name(column)} hangs off rows linked to an account but "
                "tests/privacy/test_completeness.py does not cover it: add a row for it in "
                "give_everything() and an entry in HANGING (and HANGING_EXPORTED when the "
                "row is the account's own data)."
            )
    problems += [
        f"{key} is marked as exported in HANGING but has no entry in HANGING_EXPORTED"
        for key, reason in sorted(HANGING.items())
        if reason is None and key not in HANGING_EXPORTED
    ]
    known = {name(c) for c in links(metadata)} | {name(c) for c in hanging(metadata)}
    problems += [
        f"{key} is covered by the test but no longer in the schema: remove it"
        for key in sorted((ON_DELETE.keys() | HANGING.keys()) - known)
    ]
    return problems


def table(key: str) -> Table:
    return db.metadata.tables[key.split(".")[0]]


def column(key: str) -> Column:
    table_name, column_name = key.split(".")
    return db.metadata.tables[table_name].c[column_name]


def rows_where(condition, source: Table) -> list[dict]:
    return [dict(row) for row in db.session.execute(select(source).where(condition)).mappings()]


def primary_key(source: Table, row: dict) -> tuple:
    return (source.name, *(row[c.name] for c in source.primary_key.columns))


def tracked_rows(account_id: int) -> dict[tuple, dict]:
    """Every row linked to the account, and every row hanging off them, by primary key."""
    rows: dict[tuple, dict] = {}
    for link in links(db.metadata):
        for row in rows_where(link == account_id, link.table):
            rows[primary_key(link.table, row)] = row
    added = True
    while added:
        added = False
        for child in hanging(db.metadata):
            parent = parent_of(child)
            values = {row[parent.name] for key, row in rows.items() if key[0] == parent.table.name}
            if not values:
                continue
            for row in rows_where(child.in_(values), child.table):
                key = primary_key(child.table, row)
                if key not in rows:
                    rows[key] = row
                    added = True
    return rows


def parent_of(child: Column) -> Column:
    """The column a hanging column refers to (e.g. stories.id for story_reports.story_id)."""
    return next(iter(child.foreign_keys)).column


def hanging_off(rows: dict[tuple, dict], child: Column) -> list[dict]:
    """The rows among `rows` whose `child` column points at another of `rows`."""
    parent = parent_of(child)
    parents = {row[parent.name] for key, row in rows.items() if key[0] == parent.table.name}
    return [
        row
        for key, row in rows.items()
        if key[0] == child.table.name and row[child.name] in parents
    ]


def linked_count(key: str, account_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(table(key)).where(column(key) == account_id)
    )


# Where the export shows each link's rows: (where, check(part, rows, account_id)) where
# check returns (what the export says, what the database holds), which must be equal.


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def title_of(model, row_id: int) -> str:
    """The title of the event or program a host row names."""
    return db.session.get(model, row_id).title


def sorted_by(rows, *keys) -> list[tuple]:
    return sorted(tuple(str(row[k]) for k in keys) for row in rows)


def same_reset_code_dates(part, rows) -> tuple[list, list]:
    """Reset codes made or approved for others are exported as their dates only."""
    keys = ("created_at", "approved_at", "expires_at")
    return sorted_by(part, *keys), sorted_by([{k: iso(r[k]) for k in keys} for r in rows], *keys)


def same_rsvps_and_attendance(rsvps, attendance, rows) -> tuple[Any, Any]:
    """One table holds RSVPs to events and attendance at program meetings; the export
    shows each apart: (meeting's start, status, created, came) per row, events first."""
    starts = {r["occurrence_id"]: db.session.get(Occurrence, r["occurrence_id"]) for r in rows}

    def of_program(row) -> bool:
        return starts[row["occurrence_id"]].event.program_id is not None

    def held(row) -> tuple:
        start = iso(starts[row["occurrence_id"]].starts_at)
        return start, row["status"], iso(row["created_at"]), str(row["attended"])

    exported = (
        sorted((r["starts_at"], r["status"], r["created_at"], str(r["attended"])) for r in rsvps),
        sorted((a["starts_at"], "confirmed", a["recorded_at"], str(a["came"])) for a in attendance),
    )
    return exported, (
        sorted(held(r) for r in rows if not of_program(r)),
        sorted(held(r) for r in rows if of_program(r)),
    )


Check = Callable[[Any, list[dict], int], tuple[Any, Any]]
EXPORTED: dict[str, tuple[str | tuple[str, ...], Check]] = {
    "recovery_codes.account_id": (
        "account.unused_recovery_codes",
        lambda part, rows, _id: (part, len(rows)),
    ),
    "reset_codes.account_id": (
        "account.unused_reset_codes",
        lambda part, rows, _id: (part, len(rows)),
    ),
    "invites.created_by_id": (
        "account.invites_created",
        lambda part, rows, _id: (
            sorted_by(part, "role", "uses_left", "expires_at"),
            sorted_by(
                [{**r, "expires_at": iso(r["expires_at"])} for r in rows],
                "role",
                "uses_left",
                "expires_at",
            ),
        ),
    ),
    "stories.author_id": (
        "stories.stories",
        lambda part, rows, _id: (sorted_by(part, "id", "title"), sorted_by(rows, "id", "title")),
    ),
    "story_reports.reporter_id": (
        "stories.reports",
        lambda part, rows, _id: (
            sorted_by(part, "story_id", "note"),
            sorted_by(rows, "story_id", "note"),
        ),
    ),
    "story_preferences.account_id": (
        "stories.always_hidden_warnings",
        lambda part, rows, _id: (part, [w for r in rows for w in r["hidden_warnings"]]),
    ),
    "events.created_by_id": (
        "events.events_scheduled",
        lambda part, rows, _id: (sorted(part), sorted(r["title"] for r in rows)),
    ),
    "rsvps.account_id": (
        ("events.rsvps", "program_attendance"),
        lambda part, rows, _id: same_rsvps_and_attendance(*part, rows),
    ),
    "event_hosts.account_id": (
        "events.events_run",
        lambda part, rows, _id: (
            sorted(part),
            sorted(title_of(Event, r["event_id"]) for r in rows),
        ),
    ),
    "program_hosts.account_id": (
        "programs_run",
        lambda part, rows, _id: (
            sorted(part),
            sorted(title_of(Program, r["program_id"]) for r in rows),
        ),
    ),
    "programs.created_by_id": (
        "programs_created",
        lambda part, rows, _id: (
            sorted(p["title"] for p in part),
            sorted(r["title"] for r in rows),
        ),
    ),
    "enrollments.account_id": (
        "programs",
        lambda part, rows, _id: (
            sorted_by(part, "status", "requested_at"),
            sorted_by(
                [{**r, "requested_at": iso(r["created_at"])} for r in rows],
                "status",
                "requested_at",
            ),
        ),
    ),
    "notices.account_id": (
        "notices",
        lambda part, rows, _id: (
            sorted(n["created_at"] for n in part),
            sorted(iso(r["created_at"]) for r in rows),
        ),
    ),
    "audit_entries.actor_id": (
        "audit_log",
        lambda part, rows, _id: (
            sorted_by([e for e in part if e["by_you"]], "action", "created_at"),
            sorted_by(
                [{**r, "created_at": iso(r["created_at"])} for r in rows], "action", "created_at"
            ),
        ),
    ),
    "audit_entries.target_id": (
        "audit_log",
        lambda part, rows, account_id: (
            sorted_by(
                [e for e in part if e["about_you"] and not e["by_you"]], "action", "created_at"
            ),
            sorted_by(
                [
                    {**r, "created_at": iso(r["created_at"])}
                    for r in rows
                    if r["actor_id"] != account_id
                ],
                "action",
                "created_at",
            ),
        ),
    ),
    "audit_entries.approver_id": (
        "audit_log",
        lambda part, rows, _id: (
            sorted_by([e for e in part if e["approved_by_you"]], "action", "created_at"),
            sorted_by(
                [{**r, "created_at": iso(r["created_at"])} for r in rows], "action", "created_at"
            ),
        ),
    ),
    "reset_codes.issued_by_id": (
        "account.reset_codes_issued",
        lambda part, rows, _id: same_reset_code_dates(part, rows),
    ),
    "reset_codes.approved_by_id": (
        "account.reset_codes_approved",
        lambda part, rows, _id: same_reset_code_dates(part, rows),
    ),
    "moderation_entries.actor_id": (
        "moderation.decisions_you_made",
        lambda part, rows, _id: (
            sorted_by(part, "story_id", "action"),
            sorted_by(rows, "story_id", "action"),
        ),
    ),
}

# Rows hanging off the account's own rows that are the account's data too.
HANGING_EXPORTED: dict[str, tuple[str, Check]] = {
    "completion_letters.enrollment_id": (
        "programs",
        lambda part, rows, _id: (
            sorted(at for enrollment in part for at in enrollment["letters_issued_at"]),
            sorted(iso(r["issued_at"]) for r in rows),
        ),
    ),
    "session_progress.enrollment_id": (
        "programs",
        lambda part, rows, _id: (
            sorted(title for enrollment in part for title in enrollment["sessions_done"]),
            sorted(db.session.get(ProgramSession, r["session_id"]).title for r in rows),
        ),
    ),
    "moderation_entries.story_id": (
        "moderation.decisions_on_your_stories",
        lambda part, rows, _id: (
            sorted_by(part, "story_id", "action", "note"),
            sorted_by(rows, "story_id", "action", "note"),
        ),
    ),
}


def dig(data: dict, where: str | tuple[str, ...]) -> Any:
    """The part of the export at `where` (dotted); for several places, a tuple of parts."""
    if isinstance(where, tuple):
        return tuple(dig(data, one) for one in where)
    for part in where.split("."):
        if not isinstance(data, dict) or part not in data:
            raise KeyError(f"the export has no {where!r}")
        data = data[part]
    return data


# Signing in and out as the subject


def sign_in(auth, made: MadeAccount):
    response = auth.login(made)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def export(client, made: MadeAccount) -> dict:
    response = client.post("/account/export", data={"password": made.password})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    return json.loads(response.get_data(as_text=True))


# The tests


def test_every_link_to_accounts_is_covered(app):
    with app.app_context():
        assert uncovered(db.metadata) == []
        # Links found: not vacuous.
        assert len(links(db.metadata)) >= len(ON_DELETE)


def test_a_new_table_linking_to_accounts_would_fail_the_coverage_test(app):
    """The walk finds tables it was never told about (a copy of the schema plus one)."""
    with app.app_context():
        schema = MetaData()
        for source in db.metadata.sorted_tables:
            source.to_metadata(schema)
    Table(
        "diary_entries",
        schema,
        Column("id", Integer, primary_key=True),
        Column("account_id", ForeignKey("accounts.id")),
    )
    Table(
        "story_comments",
        schema,
        Column("id", Integer, primary_key=True),
        Column("story_id", ForeignKey("stories.id")),
    )
    problems = uncovered(schema)
    assert len(problems) == 2, problems
    assert problems[0].startswith("diary_entries.account_id refers to accounts")
    assert "add a row for it in give_everything()" in problems[0]
    assert problems[1].startswith("story_comments.story_id hangs off rows")


def test_the_fixture_puts_a_row_in_every_linked_table(app, world):
    with app.app_context():
        for made in (world.subject, world.other):
            missing = [
                name(link) for link in links(db.metadata) if linked_count(name(link), made.id) == 0
            ]
            assert missing == [], f"give_everything() makes no row in {missing}: add one"
        tracked = tracked_rows(world.subject.id)
        for child in hanging(db.metadata):
            assert hanging_off(tracked, child), (
                f"give_everything() leaves nothing hanging off {name(child)}: add a row"
            )


def test_the_export_holds_every_linked_row_and_nothing_about_others(app, client, auth, world):
    subject = world.subject
    sign_in(auth, subject)
    data = export(client, subject)
    failures: dict[str, str] = {}
    with app.app_context():
        assert data["account"]["pseudonym"] == subject.pseudonym
        for link in links(db.metadata):
            key = name(link)
            where, check = EXPORTED[key]
            rows = rows_where(link == subject.id, link.table)
            try:
                exported, held = check(dig(data, where), rows, subject.id)
            except KeyError as error:
                failures[key] = str(error)
                continue
            if exported != held:
                failures[key] = f"export {where} says {exported!r}, database holds {held!r}"
        # Rows hanging off the account's own rows (one level down) that are theirs too.
        own = {
            primary_key(link.table, row): row
            for link in links(db.metadata)
            for row in rows_where(link == subject.id, link.table)
        }
        for child in hanging(db.metadata):
            key = name(child)
            if HANGING[key] is not None:
                continue
            where, check = HANGING_EXPORTED[key]
            every = {
                primary_key(child.table, row): row
                for row in rows_where(child.is_not(None), child.table)
            }
            rows = hanging_off(own | every, child)
            assert rows, f"nothing hangs off {key} for the subject"
            exported, held = check(dig(data, where), rows, subject.id)
            if exported != held:
                failures[key] = f"export {where} says {exported!r}, database holds {held!r}"

    # Nothing about anyone else: no other pseudonym, nothing of the other account's.
    text = json.dumps(data)
    people = world.people
    for someone in (world.other, people.admin, people.staff, people.bystander):
        assert someone.pseudonym not in text
    assert "builder-mentor" not in text
    assert OTHER_TAG not in text
    assert "Bystander story" not in text

    assert failures == {}, "export is missing rows:\n" + "\n".join(
        f"- {k}: {v}" for k, v in failures.items()
    )


def null_links(row: dict, source: Table, account_id: int) -> dict:
    """The row as it should be after the account goes: links to it set to NULL."""
    expected = dict(row)
    for link in links(db.metadata):
        if link.table is source and expected[link.name] == account_id:
            expected[link.name] = None
    return expected


def expected_after(before: dict[tuple, dict], account_id: int, choice: str) -> dict[tuple, dict]:
    """What should remain of the tracked rows, each as it should then be."""
    gone = set()
    for key, row in before.items():
        source = db.metadata.tables[key[0]]
        for link in links(db.metadata):
            if link.table is not source or row[link.name] != account_id:
                continue
            rule = ON_DELETE[name(link)]
            if rule == GONE or (
                rule == STORIES and (choice == "delete" or row["published_at"] is None)
            ):
                gone.add(key)
    # Whatever hangs off a row that goes, goes too.
    while True:
        index = {(k[0], row_value) for k in gone for row_value in (before[k].get("id"),)}
        more = {
            key
            for key, row in before.items()
            if key not in gone
            for child in hanging(db.metadata)
            if child.table.name == key[0]
            and (parent_of(child).table.name, row[child.name]) in index
        }
        if not more:
            break
        gone |= more
    return {
        key: null_links(row, db.metadata.tables[key[0]], account_id)
        for key, row in before.items()
        if key not in gone
    }


def current(key: tuple) -> dict | None:
    source = db.metadata.tables[key[0]]
    condition = [c == v for c, v in zip(source.primary_key.columns, key[1:], strict=True)]
    found = rows_where(db.and_(*condition), source)
    return found[0] if found else None


@pytest.mark.parametrize("choice", ["delete", "keep_anonymous"])
def test_deletion_leaves_nothing_linked_and_touches_no_one_else(app, client, auth, world, choice):
    subject, other = world.subject, world.other
    with app.app_context():
        before = tracked_rows(subject.id)
        others_before = tracked_rows(other.id)
        expected = expected_after(before, subject.id, choice)
        kept_stories = [
            row for key, row in before.items() if key[0] == "stories" and row["published_at"]
        ]
        assert len(kept_stories) == 2

    sign_in(auth, subject)
    response = client.post(
        "/account/delete", data={"password": subject.password, "published_stories": choice}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signed-out?reason=deleted")

    with app.app_context():
        assert db.session.get(Account, subject.id) is None
        # Every foreign key to accounts: nothing refers to the old id.
        still = {name(link): linked_count(name(link), subject.id) for link in links(db.metadata)}
        assert {k: v for k, v in still.items() if v} == {}

        # Each tracked row is gone, or kept exactly as it was with its link set to NULL.
        for key, row in before.items():
            now = current(key)
            if key not in expected:
                assert now is None, f"{key} should be deleted with the account, or with its parent"
            elif key[0] == "stories" and row["author_id"] == subject.id:
                # Kept as "Anonymous": no link, only the approved version, as readers saw it.
                assert now is not None, f"published story {key} should be kept"
                assert now["author_id"] is None
                assert now["is_anonymous"] is True
                assert (now["title"], now["body"]) == (
                    row["published_title"],
                    row["published_body"],
                )
                assert now["review_note"] == ""
                published = {k: v for k, v in row.items() if k.startswith("published_")}
                assert {k: now[k] for k in published} == published
            else:
                assert now == expected[key], f"{key} changed beyond losing its link"

        if choice == "keep_anonymous":
            assert sorted(
                key[1]
                for key in expected
                if key[0] == "stories" and before[key]["author_id"] == subject.id
            ) == sorted(row["id"] for row in kept_stories)
        # The unreviewed edit of a published story is gone in both cases.
        unreviewed = db.session.scalar(
            select(func.count())
            .select_from(Story)
            .where(Story.body.contains("unreviewed edit"), Story.body.contains(SUBJECT_TAG))
        )
        assert unreviewed == 0

        # The other account keeps every row, exactly as it was.
        assert tracked_rows(other.id) == others_before

    # The session is over, and the account cannot sign in again.
    assert client.get("/account").status_code in (302, 303)
    again = auth.login(subject)
    assert again.status_code == 200
    assert "match" in again.get_data(as_text=True)
