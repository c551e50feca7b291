"""Numbers from URLs and forms: only ASCII digits, bounded; anything else is no number.

str.isdigit() is true for "²" and "٣", which int() refuses: a page cursor or a ticked box
holding one must never reach a 500.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy.domain import ids_from, page_cursor
from tests.support.events import make_event

DIGITS = "0123456789"


@given(st.text(max_size=40))
def test_a_cursor_is_a_small_ascii_number_or_nothing(text):
    value = page_cursor(text)
    if text and len(text) <= 18 and all(ch in DIGITS for ch in text):
        assert value == int(text)
    else:
        assert value is None


@given(st.text(alphabet=DIGITS, min_size=1, max_size=18))
def test_every_ascii_number_up_to_18_digits_is_read(text):
    assert page_cursor(text) == int(text)
    assert page_cursor(text) < 2**63


@given(st.lists(st.text(max_size=25), max_size=20))
def test_ticked_boxes_keep_only_the_ids(values):
    expected = {int(v) for v in values if v and len(v) <= 18 and all(ch in DIGITS for ch in v)}
    assert ids_from(values) == expected


@pytest.mark.parametrize("unicode_digit", ["²", "٣", "１", "⑦", "৯"])
@pytest.mark.parametrize("path", ["/notices?before=", "/admin?after=", "/admin/audit?before="])
def test_a_unicode_digit_cursor_is_the_first_page_not_an_error(
    app, client, auth, admin, path, unicode_digit
):
    auth.login(admin)
    assert client.get(path + unicode_digit).status_code == 200
    assert client.get(path + "1" + unicode_digit).status_code == 200


@pytest.mark.parametrize("present", [["²"], ["٣", "1"], ["9" * 40]])
def test_odd_ticked_boxes_on_attendance_are_ignored_calmly(app, client, auth, staff, present):
    occurrence = make_event(app, staff.id, now=auth.clock()).first
    auth.login(staff)
    response = client.post(f"/events/{occurrence}/attendees", data={"present": present})
    assert response.status_code in (200, 303)
