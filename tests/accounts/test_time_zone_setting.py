"""A member's own time zone (issue 14, point 4): optional, the site's when empty, in
the export, and named on the privacy page, since a time zone hints at where someone
lives. Anything but an IANA zone name is refused calmly, with the other choices kept."""

import json
import re

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.accounts import PASSWORD, load_account


@pytest.fixture
def signed_in(auth, member):
    auth.login(member)
    return member


def test_a_chosen_zone_is_kept_shown_and_exported(app, client, signed_in):
    response = client.post(
        "/account/preferences", data={"locale": "", "timezone": " Europe/Lisbon "}
    )
    assert response.status_code == 303
    assert load_account(app, signed_in.id).timezone == "Europe/Lisbon"
    assert 'value="Europe/Lisbon"' in client.get("/account").get_data(as_text=True)
    export = client.post("/account/export", data={"password": PASSWORD})
    assert json.loads(export.data)["account"]["time_zone"] == "Europe/Lisbon"


def test_empty_means_the_site_s_zone_and_keeps_nothing(app, client, signed_in):
    client.post("/account/preferences", data={"locale": "", "timezone": "Asia/Tokyo"})
    client.post("/account/preferences", data={"locale": "", "timezone": "  "})
    assert load_account(app, signed_in.id).timezone is None
    page = client.get("/account").get_data(as_text=True)
    assert "Leave it empty to use the site's (America/New_York)." in page
    export = client.post("/account/export", data={"password": PASSWORD})
    assert json.loads(export.data)["account"]["time_zone"] is None


@pytest.mark.parametrize(
    "typed",
    ["Mars/Olympus", "EST5EDT;DROP", "../../etc/passwd", "x" * 500, "localtime", "Factory"],
)
def test_a_zone_not_in_the_list_is_refused_and_the_rest_is_kept(app, client, signed_in, typed):
    response = client.post(
        "/account/preferences", data={"is_discreet": "y", "locale": "", "timezone": typed}
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Choose a time zone from the list, like America/New_York." in body
    assert re.search(r'<input[^>]*\bchecked\b[^>]*name="is_discreet"', body)
    account = load_account(app, signed_in.id)
    assert (account.timezone, account.is_discreet) == (None, False)


def test_the_privacy_page_says_a_zone_is_kept_only_if_chosen(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "a time zone only if you chose one: it can hint at where you live" in page


def test_a_stored_zone_the_tz_database_no_longer_has_falls_back_to_the_site_s(
    app, client, signed_in
):
    with app.app_context():
        account = db.session.get(Account, signed_in.id)
        account.timezone = "Atlantis/Capital"  # as if a tzdata update had dropped it
        db.session.commit()
    assert client.get("/events?week=1").status_code == 200


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("america/los_angeles", "America/Los_Angeles"),
        ("America/Los Angeles", "America/Los_Angeles"),
        ("los angeles", "America/Los_Angeles"),  # only one zone ends so
        ("  TOKYO ", "Asia/Tokyo"),
    ],
)
def test_a_zone_typed_loosely_is_kept_as_the_tz_database_spells_it(
    app, client, signed_in, typed, kept
):
    response = client.post("/account/preferences", data={"locale": "", "timezone": typed})
    assert response.status_code == 303
    assert load_account(app, signed_in.id).timezone == kept


def test_a_name_more_than_one_zone_ends_with_or_a_description_is_refused(app, client, signed_in):
    # "Pacific Time" is no zone's name or ending; "Eastern" ends both US/Eastern and
    # Canada/Eastern, so which one is meant is not guessed.
    for typed in ("Pacific Time", "Eastern"):
        response = client.post("/account/preferences", data={"locale": "", "timezone": typed})
        assert response.status_code == 400
    assert load_account(app, signed_in.id).timezone is None
