"""A notice that names a day says it as its reader reads it: in their language and their
time zone (their own choice, else the site's), never as whoever acted wrote it.

An admin pausing an account and a mentor stopping someone's posting act in English; the
member reads in Spanish and lives in Kiritimati (UTC+14), where 12:00 UTC is 02:00 the
next day. The clock starts on 27 November 2026 at 12:00 UTC (tests/support/accounts.py);
a stop of 15 days ends on 12 December at 12:00 UTC: the 13th in Kiritimati, the 12th in
New York (the site's zone). The Spanish words are the catalogue's, written out here.
"""

from __future__ import annotations

import html
import time
from datetime import UTC, datetime

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices.models import Notice
from tests.support.stories import make_story

SPANISH = {"Accept-Language": "es"}
PAUSED_ES = (
    "Una persona administradora puso tu cuenta en pausa el 28 de noviembre de 2026. "
    "Mientras estuvo en pausa, nadie podía entrar en ella."
)
STOPPED_ES = (
    "Una persona mentora o administradora pausó tu permiso para publicar historias y "
    "enviar reportes hasta el 13 de diciembre de 2026."
)
REFUSED_ES = "No puedes publicar historias ni enviar reportes hasta el 13 de diciembre de 2026."


def live_in_kiritimati(app, account_id: int) -> None:
    with app.app_context():
        db.session.get(Account, account_id).timezone = "Pacific/Kiritimati"
        db.session.commit()


def test_pause_and_posting_stop_notices_are_said_in_the_reader_s_language_and_zone(
    app, auth, clock, admin, mentor, member
):
    live_in_kiritimati(app, member.id)
    pending = make_story(app, member.id, state="pending", now=clock())
    acting = app.test_client()
    auth.login(admin, client=acting)
    for action in ("pause", "resume"):
        form = {"action": action, "confirm": "yes"}
        sent = acting.post(f"/admin/accounts/{member.id}/pause", data=form)
        assert sent.status_code == 303
    auth.logout(client=acting)
    auth.login(mentor, client=acting)
    stop = f"/moderation/stories/{pending}/posting"
    assert acting.post(stop, data={"action": "stop", "days": "15"}).status_code == 303
    # The mentor (no zone of their own: the site's, New York) reads the 12th.
    assert "12 December 2026" in html.unescape(acting.get(stop).get_data(as_text=True))

    reader = app.test_client()
    auth.login(member, client=reader)
    notices = html.unescape(reader.get("/notices", headers=SPANISH).get_data(as_text=True))
    assert PAUSED_ES in notices
    assert STOPPED_ES in notices
    # Neither the actor's language nor the site's day.
    assert "November" not in notices
    assert "December" not in notices
    assert "12 de diciembre" not in notices
    # Refused when they try to post: the same day as the notice.
    refused = html.unescape(reader.get("/stories/new", headers=SPANISH).get_data(as_text=True))
    assert REFUSED_ES in refused


def test_a_notice_left_before_days_were_stored_as_instants_shows_its_day_as_written(
    app, auth, clock, member
):
    with app.app_context():
        db.session.add(
            Notice(
                account_id=member.id,
                kind="account_paused",
                params={"day": "27 November 2026"},
                created_at=clock(),
            )
        )
        db.session.commit()
    reader = app.test_client()
    auth.login(member, client=reader)
    page = html.unescape(reader.get("/notices").get_data(as_text=True))
    assert "An admin paused your account on 27 November 2026." in page


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("account_paused", {"at": "not a day"}),
        ("account_paused", {"at": None}),
        ("posting_stopped", {}),
        ("enrollment_confirmed", {}),  # its words need a title
        ("event_cancelled", {"title": "Circle", "starts_at": 12}),
    ],
)
def test_a_notice_whose_stored_values_do_not_fit_says_so_and_the_rest_still_shows(
    app, auth, clock, member, kind, params
):
    # Only the server writes these values; a bug or a damaged row must still never keep a
    # member from reading, dismissing or exporting their notices (security review).
    with app.app_context():
        for stored_kind, stored in ((kind, params), ("account_resumed", {})):
            notice = Notice(account_id=member.id, kind=stored_kind, params=stored)
            notice.created_at = clock()
            db.session.add(notice)
        db.session.commit()
    reader = app.test_client()
    auth.login(member, client=reader)
    shown = reader.get("/notices")
    assert shown.status_code == 200
    page = html.unescape(shown.get_data(as_text=True))
    assert "This notice can't be shown in full. If it matters to you, talk to a staff " in page
    assert "Your account is active again." in page
    exported = reader.post("/account/export", data={"password": member.password})
    assert exported.status_code == 200
    messages = [notice["message"] for notice in exported.get_json()["notices"]]
    assert "This notice can't be shown in full." in messages[0] + messages[1]


@pytest.fixture
def server_in_honolulu(monkeypatch):
    """The server process's own time zone (TZ) is Honolulu, UTC-10, for one test."""
    monkeypatch.setenv("TZ", "Pacific/Honolulu")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_honolulu")
def test_an_instant_stored_without_its_offset_is_read_as_utc(app, auth, member):
    # 03:30 on 28 November, UTC, is 22:30 on the 27th in New York (the site's zone). Read
    # in the server's own zone (Honolulu: 13:30 UTC) it would be the 28th.
    with app.app_context():
        notice = Notice(account_id=member.id, kind="account_paused")
        notice.params = {"at": "2026-11-28T03:30:00"}
        notice.created_at = datetime(2026, 11, 28, 3, 30, tzinfo=UTC)
        db.session.add(notice)
        db.session.commit()
    reader = app.test_client()
    auth.login(member, client=reader)
    page = html.unescape(reader.get("/notices").get_data(as_text=True))
    assert "An admin paused your account on 27 November 2026." in page
