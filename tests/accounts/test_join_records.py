"""What joining and signing in write besides the account itself.

The rules, written here from README (Privacy: what we keep; Reports) and never read from
the code under test:

- every account that joins counts once as a new member of the whole site (no program),
  in the month it joined in the site's time zone (America/New_York by default); a join
  that is refused counts nothing;
- signing in (and joining, which signs the new member in) keeps the day of the sign-in
  in the site's time zone, never the time: 03:00 UTC on 1 December is still 30 November
  in New York. The purge of inactive accounts counts from that day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.accounts.helpers import codes_in, invite_code, join
from tests.support.accounts import load_account, make_account
from tests.support.reports import all_counts

# 03:00 UTC on 1 December: still 30 November (and November) in New York.
LATE_EVENING = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
NOVEMBER, DAY_IN_NEW_YORK = date(2026, 11, 1), date(2026, 11, 30)


def test_a_join_counts_one_new_member_of_the_site_in_its_local_month(app, client, clock):
    clock.current = LATE_EVENING
    code = invite_code(app, clock(), uses=2)
    assert codes_in(join(client, code, pseudonym="Quiet Fern"))
    assert all_counts(app) == {(NOVEMBER, None, "new_member"): 1}
    client.post("/logout")
    # Refused (the confirmation differs): nothing is counted.
    join(client, code, pseudonym="Second Fern", confirm="something else entirely")
    assert all_counts(app) == {(NOVEMBER, None, "new_member"): 1}


def test_joining_keeps_the_local_day_of_the_first_sign_in(app, client, clock):
    clock.current = LATE_EVENING
    assert codes_in(join(client, invite_code(app, clock()), pseudonym="Quiet Fern"))
    with app.app_context():
        joined = db.session.scalar(select(Account.last_login_on))
    assert joined == DAY_IN_NEW_YORK


def test_signing_in_keeps_the_local_day_never_the_time(app, auth, clock):
    member = make_account(app, "river-member")
    assert load_account(app, member.id).last_login_on is None  # never signed in yet
    clock.current = LATE_EVENING
    assert auth.login(member).status_code == 303
    kept = load_account(app, member.id).last_login_on
    assert kept == DAY_IN_NEW_YORK
    assert not isinstance(kept, datetime)  # a day, not a time
