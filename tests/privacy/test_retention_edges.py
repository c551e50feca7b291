"""Every retention rule at the exact second (DESIGN §4; the edges: tests/support/retention.py).

For each rule one record is placed with its period starting at a known second (noon, or
the first instant of a day), and the real purge runs three times: one second before the
period is over the record is kept; at the very instant it is kept or gone as the rule
decides; one second past it is gone, counted under its own rule (not swept away with
something else). Every other account is kept signed in, so nothing else expires on the
way.

The hypothesis properties over record ages: test_retention_properties.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.purge import keep_signed_in, present, purge_at
from tests.support.retention import EDGES, Edge

SECOND = timedelta(seconds=1)
ANCHOR = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
# A period that starts at noon, and one at the first instant of a day in New York (the
# site's calendar, UTC-5 in November): a rule counting days could wrongly count that
# instant in the day before.
ANCHORS = pytest.mark.parametrize(
    "anchor", [ANCHOR, datetime(2026, 11, 27, 5, 0, tzinfo=UTC)], ids=["noon", "midnight"]
)

edges = pytest.mark.parametrize("rule", EDGES.values(), ids=EDGES.keys())


@ANCHORS
@edges
def test_kept_one_second_inside_the_period_gone_one_second_past(app, rule: Edge, anchor):
    with app.app_context():
        record = rule.place(anchor)
        db.session.commit()
    subjects = tuple(row_id for model, row_id in [record] if model is Account)
    edge = rule.edge(anchor)

    was_kept = True
    for now, kept in ((edge - SECOND, True), (edge, rule.kept_at_edge), (edge + SECOND, False)):
        keep_signed_in(app, now.date(), except_ids=subjects)
        counts = purge_at(app, now)
        assert present(app, [record]) == [kept], f"at {now.isoformat()}"
        assert counts[rule.name] == (1 if was_kept and not kept else 0), f"at {now.isoformat()}"
        was_kept = kept


def test_the_edges_are_the_dates_design_gives():
    """The edges worked out by hand from DESIGN §4, for a record anchored at noon."""
    expected = {
        # 2026-11-27 + 548 days is 2028-05-28 (2028 is a leap year), which begins at
        # midnight in New York, summer time (UTC-4).
        "account: 548 days after the last sign-in day": "2028-05-28T04:00:00+00:00",
        "story draft: 180 days after the last edit": "2027-05-26T12:00:00+00:00",
        "RSVP: 30 days after the event ends": "2026-12-27T12:00:00+00:00",
        # Last day 2026-11-27; kept through 2027-11-27, gone from 2027-11-28 (New York
        # winter time, UTC-5).
        "enrollment: 365 days after the program ends": "2027-11-28T05:00:00+00:00",
        # Its meeting ended on 2026-09-28, but the attendance goes with the place.
        "attendance at a program meeting: 365 days after the program ends": (
            "2027-11-28T05:00:00+00:00"
        ),
        "notice: 90 days after read": "2027-02-25T12:00:00+00:00",
        "notice: 90 days at most": "2027-02-25T12:00:00+00:00",
        "invite code: when it expires": "2026-11-27T12:00:00+00:00",
        "sent form: 1 day after it was sent": "2026-11-28T12:00:00+00:00",
    }
    for name, edge in expected.items():
        assert EDGES[name].edge(ANCHOR).isoformat() == edge, name
