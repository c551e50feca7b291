"""Cancelling with a reason, through the staff forms (issue 14, point 5).

Rules: the reason is optional, one line of at most 200 characters with bidi controls
removed, and goes into the notice of everyone with an RSVP; a reason too long cancels
nothing, says so calmly and keeps what was typed; counts are said with ngettext.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from advocacy.events.models import Occurrence
from advocacy.extensions import db
from advocacy.notices.models import Notice
from tests.support.accounts import make_account
from tests.support.events import make_event

REASON = "The room flooded; we will meet again next week."


def rsvp(client, auth, account, occurrence_id: int) -> None:
    auth.login(account)
    assert client.post(f"/events/{occurrence_id}/rsvp").status_code == 303
    auth.logout()


def cancelled(app, ids: list[int]) -> list[bool]:
    with app.app_context():
        return [db.session.get(Occurrence, i).is_cancelled for i in ids]


def notices(app) -> list[Notice]:
    with app.app_context():
        return list(db.session.scalars(select(Notice).order_by(Notice.id)))


def page_of(client, path: str) -> str:
    return html.unescape(client.get(path).get_data(as_text=True))


def test_the_reason_reaches_the_notice_without_its_bidi_controls(
    app, client, auth, clock, staff, member
):
    event = make_event(app, staff.id, now=clock())
    rsvp(client, auth, member, event.first)
    auth.login(staff)
    page = client.get(f"/events/{event.first}/cancel").get_data(as_text=True)
    assert 'maxlength="200" name="reason"' in page
    sent = client.post(f"/events/{event.first}/cancel", data={"reason": f"\u202e{REASON}\u2066"})
    assert sent.status_code == 303
    assert "The meeting is cancelled." in page_of(client, f"/events/{event.first}")
    auth.logout()
    ((notice),) = notices(app)
    assert notice.params["reason"] == REASON
    auth.login(member)
    assert f"The reason given: {REASON}" in page_of(client, "/notices")


def test_a_reason_is_escaped_on_the_notices_page(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock())
    rsvp(client, auth, member, event.first)
    auth.login(staff)
    client.post(f"/events/{event.first}/cancel", data={"reason": "<b>gone</b>"})
    auth.logout()
    auth.login(member)
    body = client.get("/notices").get_data(as_text=True)
    assert "<b>gone</b>" not in body
    assert "&lt;b&gt;gone&lt;/b&gt;" in body


def test_a_reason_too_long_cancels_nothing_and_keeps_what_was_typed(
    app, client, auth, clock, staff, member
):
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=1)
    rsvp(client, auth, member, event.first)
    auth.login(staff)
    typed = "Because " + "x" * 193  # 201 characters
    for action in ("cancel", "cancel-series"):
        refused = client.post(f"/events/{event.first}/{action}", data={"reason": typed})
        body = html.unescape(refused.get_data(as_text=True))
        assert refused.status_code == 400
        assert "Please keep the reason to 200 characters or fewer." in body
        assert f'value="{typed}"' in body
        assert "Nothing is cancelled yet." in body
    assert cancelled(app, event.occurrence_ids) == [False, False]
    assert notices(app) == []
    # 200 characters is within the rule.
    ok = client.post(f"/events/{event.first}/cancel", data={"reason": typed[:200]})
    assert ok.status_code == 303
    assert cancelled(app, event.occurrence_ids) == [True, False]


def test_without_a_reason_the_notice_says_only_what_happened(
    app, client, auth, clock, staff, member
):
    event = make_event(app, staff.id, now=clock(), title="Tuesday peer circle")
    rsvp(client, auth, member, event.first)
    auth.login(staff)
    assert client.post(f"/events/{event.first}/cancel").status_code == 303
    auth.logout()
    auth.login(member)
    body = page_of(client, "/notices")
    assert "“Tuesday peer circle” on " in body
    assert "has been cancelled." in body
    assert "reason" not in body.lower().split("has been cancelled.")[1].split("</p>")[0]


def test_cancelling_a_series_says_how_many_in_words_for_one_and_many(
    app, client, auth, clock, staff, member
):
    one = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=0)
    three = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=2, title="Three")
    rsvp(client, auth, member, three.occurrence_ids[1])
    rsvp(client, auth, member, three.occurrence_ids[2])
    auth.login(staff)
    client.post(f"/events/{one.first}/cancel-series", data={"reason": "", "confirm": "yes"})
    assert "1 meeting cancelled. Everyone" in page_of(client, f"/events/{one.first}")
    client.post(
        f"/events/{three.first}/cancel-series", data={"reason": "Funding ended.", "confirm": "yes"}
    )
    assert "3 meetings cancelled. Everyone" in page_of(client, f"/events/{three.first}")
    auth.logout()
    ((notice),) = notices(app)  # one notice for two meetings
    assert (notice.kind, notice.params["num"], notice.params["reason"]) == (
        "event_series_cancelled",
        "2",
        "Funding ended.",
    )
    auth.login(member)
    assert "the 2 meetings you had an RSVP for will not happen" in page_of(client, "/notices")


def test_staff_who_do_not_run_it_cannot_cancel_it_with_a_reason(
    app, client, auth, clock, staff, member
):
    event = make_event(app, staff.id, now=clock())
    rsvp(client, auth, member, event.first)
    auth.login(make_account(app, "oak-staff", role="staff"))
    for action in ("cancel", "cancel-series"):
        refused = client.post(f"/events/{event.first}/{action}", data={"reason": REASON})
        assert refused.status_code == 404
    assert cancelled(app, event.occurrence_ids) == [False]
    assert notices(app) == []


def test_cancelling_every_meeting_still_to_come_asks_first(app, client, auth, clock, staff, member):
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=2)
    rsvp(client, auth, member, event.first)
    auth.login(staff)
    asked = client.post(f"/events/{event.first}/cancel-series", data={"reason": REASON})
    body = html.unescape(asked.get_data(as_text=True))
    assert asked.status_code == 200
    assert "Nothing is cancelled yet." in body
    assert "This can't be undone." in body
    assert f'value="{REASON}"' in body
    assert 'name="confirm" value="yes"' in body
    assert cancelled(app, event.occurrence_ids) == [False, False, False]
    assert notices(app) == []
    done = client.post(
        f"/events/{event.first}/cancel-series", data={"reason": REASON, "confirm": "yes"}
    )
    assert done.status_code == 303
    assert cancelled(app, event.occurrence_ids) == [True, True, True]


@pytest.mark.parametrize(
    "typed",
    [
        "Moved from Room 4B, 221 Canary Street — ring twice",  # the whole venue
        "We can't use 221  CANARY street any more",  # a part, case and spacing aside
        "Sorry: ２２１ Canary Street is closed",  # full-width digits (NFKC)
    ],
)
def test_a_reason_that_gives_the_venue_away_is_refused(app, client, auth, clock, staff, typed):
    # tests/support/events.py VENUE: "Room 4B, 221 Canary Street — ring twice"
    event = make_event(app, staff.id, now=clock(), recurrence="weekly", weeks=1)
    auth.login(staff)
    for action in ("cancel", "cancel-series"):
        data = {"reason": typed, "confirm": "yes"}
        refused = client.post(f"/events/{event.first}/{action}", data=data)
        body = html.unescape(refused.get_data(as_text=True))
        assert refused.status_code == 400
        assert "Please leave where the group meets out of the reason" in body
    assert cancelled(app, event.occurrence_ids) == [False, False]
    assert notices(app) == []
