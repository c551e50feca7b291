"""The meetings lists read an index range, so they stay flat as meetings pile up (issue 17,
point 3): the upcoming list and a member's next meetings start from "now minus the longest
a meeting can last" on the (is_cancelled, starts_at, id) index, never walking every
meeting ever held. A meeting ends on the day it starts (a start and an end time on one
day), so it lasts less than 24 hours plus the largest clock change of a day; every IANA
zone's longest possible meeting is checked against the bound.

The plan is read from SQLite itself (EXPLAIN QUERY PLAN), after ANALYZE on a site with
many past meetings.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from advocacy import clock
from advocacy.events import finding
from advocacy.extensions import db
from tests.support.event_rules import NOW, meeting, person, weekly_series
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)
from tests.support.plans import plan_of_sent

RANGE_ON_STARTS = re.compile(
    r"SEARCH occurrences USING (COVERING )?INDEX ix_occurrences_upcoming "
    r"\(is_cancelled=\? AND starts_at>\?\)"
)


@settings(max_examples=300, deadline=None)
@given(
    zone_name=st.sampled_from(sorted(available_timezones())),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
)
def test_no_meeting_lasts_as_long_as_the_bound(zone_name, day):
    span = clock.meeting_span(day, time(0, 0), time(23, 59), ZoneInfo(zone_name))
    assert span.ends_at - span.starts_at < clock.LONGEST_MEETING


def plan_of(query) -> str:
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("session")
def test_the_upcoming_list_reads_a_range_of_the_start_index():
    staff, member = person("maple", "staff"), person("ash")
    for n in range(60):  # meetings long over, and a few to come
        meeting(staff, starts=NOW - timedelta(days=200 - n), now=NOW - timedelta(days=300))
    for n in range(3):
        meeting(staff, starts=NOW + timedelta(days=n + 1))
    db.session.execute(text("ANALYZE"))
    for viewer in (member, staff):
        plan = plan_of(finding.upcoming_query(NOW, finding.Filters(), None, viewer))
        assert RANGE_ON_STARTS.search(plan), plan
        assert "SCAN occurrences" not in plan, plan
    rows = finding.upcoming_page(NOW, finding.Filters(), None, member)
    assert len(rows) == 3


SERIES_RANGE = re.compile(
    r"SEARCH occurrences USING (COVERING )?INDEX ix_occurrences_series "
    r"\(event_id=\? AND is_cancelled=\? AND starts_at>\?\)"
)


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("session")
@pytest.mark.parametrize("analysed", [False, True])
def test_a_series_counts_its_own_meetings_to_come_never_every_event_s(analysed):
    staff, member = person("maple", "staff"), person("ash")
    for n in range(60):  # other events' meetings to come
        meeting(staff, starts=NOW + timedelta(days=1 + n % 30, hours=n % 5))
    series = weekly_series(staff, meetings=4)
    if analysed:  # statistics or not (SQLite before 3.46 never makes them on its own)
        db.session.execute(text("ANALYZE"))
    plan = plan_of_sent(
        lambda: finding.series_counts(member.id, series[0].event_id, NOW), "occurrences"
    )
    assert SERIES_RANGE.search(plan), plan
    assert "ix_occurrences_upcoming" not in plan, plan
    assert finding.series_counts(member.id, series[0].event_id, NOW) == (4, 0)
