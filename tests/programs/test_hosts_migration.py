"""Migration 0012: each program's creator hosts it; each event of its own is hosted by its
creator; a program's meetings get no hosts of their own, so the program's hosts run
them whoever scheduled them; a creator already gone hosts nothing. Downgrade drops the
two tables and nothing else."""

from datetime import UTC, date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from advocacy import create_app
from advocacy.accounts.models import Account
from advocacy.events import hosts as event_hosts
from advocacy.events.models import Event
from advocacy.extensions import db
from advocacy.programs import hosts as program_hosts
from advocacy.programs.models import Program
from tests.conftest import make_config
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
# id -> (pseudonym, role)
ACCOUNTS = {1: ("maple-staff", "staff"), 2: ("rowan-staff", "staff"), 3: ("wren-admin", "admin")}
# id -> creator (None: the creator's account is gone)
PROGRAMS = {10: 1, 11: None, 12: 3}
# id -> (creator, program)
EVENTS = {20: (2, None), 21: (2, 10), 22: (None, None), 23: (1, 10), 24: (1, None)}


def insert_rows(connection) -> None:
    for account_id, (pseudonym, role) in ACCOUNTS.items():
        connection.execute(
            text(
                "INSERT INTO accounts (id, pseudonym, pseudonym_key, password_hash, role,"
                " session_token, is_discreet, created_at)"
                " VALUES (:id, :pseudonym, :pseudonym, 'x', :role, :token, false, :now)"
            ),
            {
                "id": account_id,
                "pseudonym": pseudonym,
                "role": role,
                "token": f"t{account_id}",
                "now": NOW,
            },
        )
    for program_id, creator in PROGRAMS.items():
        connection.execute(
            text(
                "INSERT INTO programs (id, title, kind, summary, description, capacity, taken,"
                " enrollment_opens_on, enrollment_closes_on, starts_on, ends_on, needs_approval,"
                " status, created_by_id, created_at)"
                " VALUES (:id, 'Healing', 'healing', 'Weekly.', '', 5, 0, :day, :day, :day,"
                " :day, false, 'open', :creator, :now)"
            ),
            {"id": program_id, "creator": creator, "day": date(2026, 12, 1), "now": NOW},
        )
    for event_id, (creator, program_id) in EVENTS.items():
        connection.execute(
            text(
                "INSERT INTO events (id, title, description, is_online, area, venue, timezone,"
                " language, accessibility, recurrence, program_id, created_by_id, created_at)"
                " VALUES (:id, 'Circle', '', false, 'Queens', 'Room 7', 'UTC', 'en', '', 'none',"
                " :program, :creator, :now)"
            ),
            {"id": event_id, "program": program_id, "creator": creator, "now": NOW},
        )


def pairs(connection, table: str, key: str) -> set[tuple[int, int]]:
    rows = connection.execute(text(f"SELECT {key}, account_id FROM {table}"))  # noqa: S608
    return {tuple(row) for row in rows}


def test_upgrade_makes_creators_hosts_and_meetings_the_program_s_then_downgrade_drops_them(
    scratch_url,
):
    app = create_app(make_config(scratch_url))
    with app.app_context():
        upgrade(revision="0011_sent_forms")
        with db.engine.begin() as connection:
            insert_rows(connection)
        upgrade()
        with db.engine.connect() as connection:
            assert pairs(connection, "program_hosts", "program_id") == {(10, 1), (12, 3)}
            assert pairs(connection, "event_hosts", "event_id") == {(20, 2), (24, 1)}

        # The rule reads the new rows: a meeting of program 10 is run by its host (1), not
        # by the staff member who scheduled it (2), who still runs the event of their own.
        program, meeting = db.session.get(Program, 10), db.session.get(Event, 21)
        creator, scheduler = db.session.get(Account, 1), db.session.get(Account, 2)
        assert program_hosts.runs(creator, program) is True
        assert event_hosts.runs(creator, meeting) is True
        assert event_hosts.runs(scheduler, meeting) is False
        assert event_hosts.runs(scheduler, db.session.get(Event, 20)) is True
        # Nobody hosts what a deleted account created: staff are refused, admins run it.
        orphan = db.session.get(Program, 11)
        assert program_hosts.runs(scheduler, orphan) is False
        assert program_hosts.runs(db.session.get(Account, 3), orphan) is True
        db.session.rollback()

        downgrade(revision="0011_sent_forms")
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"program_hosts", "event_hosts"}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM programs")).scalar() == 3
            assert connection.execute(text("SELECT count(*) FROM events")).scalar() == 5
        db.engine.dispose()
