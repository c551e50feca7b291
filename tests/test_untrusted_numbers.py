"""Numbers from URLs and forms: only ASCII digits, bounded; anything else is no number.

str.isdigit() is true for "²" and "٣", which int() refuses: a page cursor or a ticked box
holding one must never reach a 500.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from advocacy.accounts.models import Account
from advocacy.domain import ids_from, keyset_cursor, page_cursor, utc_timestamp
from advocacy.events import rsvps
from advocacy.events.models import Rsvp
from advocacy.extensions import db
from tests.support.events import make_event

DIGITS = "0123456789"
# Ids are INTEGER columns: PostgreSQL's integer holds at most 2^31 - 1, and a larger number
# in a query is an error there, not "no such row".
INTEGER_MAX = 2_147_483_647


def is_id(text: str) -> bool:
    return 0 < len(text) <= 18 and all(ch in DIGITS for ch in text) and int(text) <= INTEGER_MAX


@example("2147483647")
@example("2147483648")
@example("999999999999999999")
@given(st.text(max_size=40))
def test_a_cursor_is_a_small_ascii_number_or_nothing(text):
    value = page_cursor(text)
    if is_id(text):
        assert value == int(text)
    else:
        assert value is None


@example("2147483647")
@example("0002147483647")
@given(st.text(alphabet=DIGITS, min_size=1, max_size=18))
def test_every_ascii_number_the_id_columns_hold_is_read(text):
    if int(text) <= INTEGER_MAX:
        assert page_cursor(text) == int(text)
    else:
        assert page_cursor(text) is None


def test_the_largest_id_is_read_and_the_next_is_not():
    assert page_cursor("2147483647") == 2147483647
    assert page_cursor("2147483648") is None
    assert page_cursor("9223372036854775808") is None


@given(st.lists(st.text(max_size=25), max_size=20))
def test_ticked_boxes_keep_only_the_ids(values):
    expected = {int(v) for v in values if is_id(v)}
    assert ids_from(values) == expected


# Cursor-shaped text: a date, maybe a time and an offset, then an id of any length.
TIME_CURSOR = r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]{5,15}([+-][0-9:]{2,5}|Z)?)?_[0-9]{1,20}"


@example("2026-11-28T18:00:00_1")  # no UTC offset
@example("0001-01-01T00:00:00+14:00_1")  # before what UTC can hold
@example("9999-12-31T23:59:59-14:00_1")  # after it
@example("2026-11-28T18:00:00+05:00_٣")
@given(st.one_of(st.text(max_size=40), st.from_regex(TIME_CURSOR, fullmatch=True)))
def test_a_time_cursor_is_a_utc_time_and_an_id_or_nothing(text):
    cursor = keyset_cursor(text, utc_timestamp)
    if cursor is None:
        return
    at, cursor_id = cursor
    assert at.utcoffset() == timedelta(0)
    assert at == datetime.fromisoformat(text.rpartition("_")[0])
    assert cursor_id == int(text.rpartition("_")[2]) <= INTEGER_MAX


# Which cursors a page ignores, and what it then shows: tests/test_paging.py.


@pytest.mark.parametrize(
    ("present", "came"),
    [
        (["²"], set()),
        (["٣", "{first}"], {"first"}),
        (["9" * 40, "{second}"], {"second"}),
        (["2147483648", "{second}"], {"second"}),
        (["{first}²", "{second}٣"], set()),
    ],
)
def test_odd_ticked_boxes_on_attendance_are_ignored_calmly(
    app, client, auth, clock, staff, member, other_member, present, came
):
    occurrence = make_event(app, staff.id, now=clock(), in_days=1).first
    with app.app_context():
        bookings = {
            name: rsvps.rsvp(db.session.get(Account, who.id), occurrence, now=clock()).id
            for name, who in (("first", member), ("second", other_member))
        }
        db.session.commit()
    clock.advance(days=2)  # the meeting has started: attendance can be recorded
    auth.login(staff)
    ticked = [value.format(**bookings) for value in present]
    response = client.post(f"/events/{occurrence}/attendees", data={"present": ticked})
    # Saved, counting only the boxes that hold an id in ASCII digits.
    assert response.status_code == 303
    with app.app_context():
        attended = {
            name for name, rsvp_id in bookings.items() if db.session.get(Rsvp, rsvp_id).attended
        }
    assert attended == came
