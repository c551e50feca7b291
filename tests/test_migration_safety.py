"""Migrating keeps every row: on SQLite, batch mode drops a table and makes it anew, and
with foreign keys on that would delete every row pointing at it (ON DELETE CASCADE: an
`accounts` rebuilt would take each host, RSVP and story with it). Foreign keys are off
while migrating and on again after, for every connection the app then opens.

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL (where tables are altered in
place and nothing is dropped).
"""

from flask_migrate import upgrade
from sqlalchemy import text

from advocacy import create_app
from advocacy.extensions import db
from tests.conftest import make_config
from tests.programs.test_hosts_migration import insert_rows
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

# What insert_rows writes at revision 0011, and what 0012 adds from it.
KEPT = {"accounts": 3, "programs": 3, "events": 5, "program_hosts": 2, "event_hosts": 2}


def test_every_row_outlives_every_later_migration_and_foreign_keys_are_on_after(scratch_url):
    app = create_app(make_config(scratch_url))
    with app.app_context():
        upgrade(revision="0011_sent_forms")
        with db.engine.begin() as connection:
            insert_rows(connection)
        upgrade()
        with db.engine.connect() as connection:
            for table, rows in KEPT.items():
                counted = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
                assert (table, counted) == (table, rows)
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
