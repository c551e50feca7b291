"""Migration 0017: an event's "weekly"/"monthly" and its end date become an RFC 5545 rule
read in the event's zone, DTSTART the first meeting's local start, UNTIL the end's whole
day; a one-off meeting (and a series with no meeting left) has none; the old columns go.
Downgrade writes them back from the rule."""

from datetime import UTC, date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from advocacy import create_app
from advocacy.events.recurrence import days_of
from advocacy.extensions import db
from tests.conftest import make_config
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)
# id -> (zone, recurrence, until, meeting starts in UTC)
EVENTS = {
    # 18:00 in New York, across the clocks going back on 1 November 2026 (EDT, then EST).
    30: (
        "America/New_York",
        "weekly",
        date(2026, 11, 3),
        [datetime(2026, 10, 27, 22, tzinfo=UTC), datetime(2026, 11, 3, 23, tzinfo=UTC)],
    ),
    # 10:00 in London on the 31st (GMT, then BST): February has no 31st.
    31: (
        "Europe/London",
        "monthly",
        date(2027, 3, 31),
        [datetime(2027, 1, 31, 10, tzinfo=UTC), datetime(2027, 3, 31, 9, tzinfo=UTC)],
    ),
    32: ("UTC", "none", None, [datetime(2026, 12, 1, 9, tzinfo=UTC)]),
    33: ("UTC", "weekly", date(2026, 12, 8), []),  # every meeting already gone
    # No end kept: the last meeting's local day (1 December in Tokyo, 30 November in UTC).
    34: (
        "Asia/Tokyo",
        "weekly",
        None,
        [datetime(2026, 11, 23, 15, tzinfo=UTC), datetime(2026, 11, 30, 15, tzinfo=UTC)],
    ),
}


def insert_rows(connection) -> None:
    occurrence_id = 100
    for event_id, (zone, recurrence, until, starts) in EVENTS.items():
        connection.execute(
            text(
                "INSERT INTO events (id, title, description, is_online, area, venue, timezone,"
                " language, accessibility, recurrence, recurrence_until, created_at)"
                " VALUES (:id, 'Circle', '', false, 'Queens', 'Room 7', :zone, 'en', '',"
                " :recurrence, :until, :now)"
            ),
            {"id": event_id, "zone": zone, "recurrence": recurrence, "until": until, "now": NOW},
        )
        for start in starts:
            occurrence_id += 1
            connection.execute(
                text(
                    "INSERT INTO occurrences (id, event_id, starts_at, ends_at, capacity,"
                    " taken, is_cancelled, attended_count)"
                    " VALUES (:id, :event, :starts, :starts, 5, 0, false, 0)"
                ),
                {"id": occurrence_id, "event": event_id, "starts": start},
            )


def column(connection, name: str) -> dict:
    rows = connection.execute(text(f"SELECT id, {name} FROM events ORDER BY id"))  # noqa: S608
    return dict(rows.all())


def test_upgrade_writes_each_series_as_a_rule_and_downgrade_writes_it_back(scratch_url):
    app = create_app(make_config(scratch_url))
    with app.app_context():
        upgrade(revision="0016_account_timezone")
        with db.engine.begin() as connection:
            insert_rows(connection)
        upgrade(revision="0017_recurrence_rules")
        with db.engine.connect() as connection:
            rules = column(connection, "recurrence_rule")
            assert rules == {
                30: "DTSTART:20261027T180000\nRRULE:FREQ=WEEKLY;UNTIL=20261103T235959",
                31: "DTSTART:20270131T100000\nRRULE:FREQ=MONTHLY;UNTIL=20270331T235959",
                32: None,
                33: None,
                34: "DTSTART:20261124T000000\nRRULE:FREQ=WEEKLY;UNTIL=20261201T235959",
            }
            meetings = connection.execute(text("SELECT count(*) FROM occurrences")).scalar()
            assert meetings == 7
        # The rule makes the days the old code made: the same weekday, the same date.
        assert days_of(rules[30]) == [date(2026, 10, 27), date(2026, 11, 3)]
        assert days_of(rules[31]) == [date(2027, 1, 31), date(2027, 3, 31)]
        assert days_of(rules[34]) == [date(2026, 11, 24), date(2026, 12, 1)]
        names = {info["name"] for info in inspect(db.engine).get_columns("events")}
        assert "recurrence_rule" in names
        assert not names & {"recurrence", "recurrence_until"}

        downgrade(revision="0016_account_timezone")
        with db.engine.connect() as connection:
            assert column(connection, "recurrence") == {
                30: "weekly",
                31: "monthly",
                32: "none",
                33: "none",  # nothing to repeat any more
                34: "weekly",
            }
            until = {
                key: value
                if value is None or isinstance(value, date)
                else date.fromisoformat(value)
                for key, value in column(connection, "recurrence_until").items()
            }
            assert until == {
                30: date(2026, 11, 3),
                31: date(2027, 3, 31),
                32: None,
                33: None,
                34: date(2026, 12, 1),
            }
        db.engine.dispose()
