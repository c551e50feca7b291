"""Every retention rule over record ages: kept exactly while inside its period.

Hypothesis draws a moment for the purge (any time of day, 2026-2030) and, for every rule
at once, a few records whose periods end around it: exactly at it, a second or a
microsecond or a whole day either side, or anywhere within three days, so edges fall on
both sides of midnight. After one real purge each record is there if and only if its
rule keeps it (so no rule takes another's records either); the rule, and what happens at
the very instant a period is over, is tests/support/retention.py's, where each rule's
choice is explained (age ≤ period for timestamps; whole days of the site's calendar,
New York's, for the account and enrollment rules, so a day can be 23 or 25 hours long).
The exact seconds, one rule at a time: test_retention_edges.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.database import delete_every_row
from tests.support.properties import PROPERTY_SETTINGS
from tests.support.purge import keep_signed_in, present, purge_at
from tests.support.retention import EDGES, midnight

MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
# Any time of day, and now and then the first instant of one, where day counts turn.
NOW = st.one_of(MOMENTS, MOMENTS.map(midnight))
SECOND, MICROSECOND, DAY = timedelta(seconds=1), timedelta(microseconds=1), timedelta(days=1)
# How far a record's period ends from the purge: at it, just either side, a whole day
# either side, or anywhere within three days (whole days drawn apart from the time of day,
# so that edges fall on both sides of midnight as often as not).
NEAR = st.sampled_from([timedelta(0), SECOND, -SECOND, MICROSECOND, -MICROSECOND, DAY, -DAY])
WITHIN_DAYS = st.builds(
    lambda days, seconds: timedelta(days=days, seconds=seconds),
    st.integers(-3, 2),
    st.integers(0, 86_399),
)


@PROPERTY_SETTINGS
@given(
    now=NOW,
    offsets=st.fixed_dictionaries(
        {name: st.lists(st.one_of(NEAR, WITHIN_DAYS), min_size=1, max_size=4) for name in EDGES}
    ),
)
def test_a_record_is_kept_exactly_while_inside_its_period(app, now, offsets):
    # Anchored so that each period ends about `offset` from now (exactly, for timestamps).
    anchors = {
        name: [now - EDGES[name].period + offset for offset in drawn]
        for name, drawn in offsets.items()
    }
    with app.app_context():
        delete_every_row()
        records = {
            name: [EDGES[name].place(anchor) for anchor in placed]
            for name, placed in anchors.items()
        }
        db.session.commit()
    everything = [record for placed in records.values() for record in placed]
    subjects = tuple(row_id for model, row_id in everything if model is Account)
    keep_signed_in(app, now.date(), except_ids=subjects)

    purge_at(app, now)

    kept = {name: present(app, placed) for name, placed in records.items()}
    assert kept == {
        name: [EDGES[name].kept(anchor, now) for anchor in placed]
        for name, placed in anchors.items()
    }
