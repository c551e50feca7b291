"""A purge that cannot be forgotten: the last completed purge is kept, and said when late.

Rule (the hardening issue): operators must see when `flask privacy purge` has not
completed for more than 36 hours, or never did. 36 hours exactly is still on time;
36 hours and one second is late. Only a purge that ran to its end counts: a dry run or
a purge that failed part-way records nothing. /healthz says "ok", "late" or "never" and
nothing else, and stays 200 (a late purge is for operators, not a reason to take the
site away from members); /admin shows the time and a calm warning.

Runs unchanged on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from advocacy.privacy import registry
from advocacy.privacy.services import last_purge
from tests.support.purge import T0, purge_at

LATE_AFTER = timedelta(hours=36)
SECOND = timedelta(seconds=1)
SHOWN_T0 = "27 November 2026, 7:00\u202fAM EST"  # noon UTC, in New York (the site's zone)
LATE_WARNING = "The retention purge last completed more than 36 hours ago."
NEVER_WARNING = "The retention purge has not completed on this site yet."


class PurgeFailed(Exception):
    """What the broken purger raises."""


def status_at(app, now):
    with app.app_context():
        return last_purge(now)


@pytest.fixture
def broken_purger(monkeypatch):
    """Make one purger in the middle of the list raise after the ones before it ran."""
    purgers = registry.purgers()
    assert len(purgers) > 2
    victim = purgers[len(purgers) // 2]

    def fail(_now, _days, _size):
        raise PurgeFailed("disk full")

    monkeypatch.setitem(registry._purgers, victim.name, dataclasses.replace(victim, batch=fail))


# The service


def test_before_any_purge_it_has_never_completed_and_that_is_late(app):
    status = status_at(app, T0)
    assert status.completed_at is None
    assert status.late is True
    assert status.state == "never"


def test_a_completed_purge_is_kept_with_the_time_it_ran_for(app):
    purge_at(app, T0)
    status = status_at(app, T0 + timedelta(hours=1))
    assert status.completed_at == T0
    assert status.late is False
    assert status.state == "ok"


def test_36_hours_exactly_is_on_time_and_one_second_more_is_late(app):
    purge_at(app, T0)
    on_time = status_at(app, T0 + LATE_AFTER)
    late = status_at(app, T0 + LATE_AFTER + SECOND)
    assert (on_time.late, on_time.state) == (False, "ok")
    assert (late.late, late.state) == (True, "late")
    assert late.completed_at == T0


def test_each_purge_moves_the_time_on_and_an_older_run_never_back(app):
    purge_at(app, T0)
    purge_at(app, T0 + timedelta(days=1))
    assert status_at(app, T0 + timedelta(days=1)).completed_at == T0 + timedelta(days=1)
    # A host whose purge started earlier but finished later does not turn the clock back.
    purge_at(app, T0 + timedelta(hours=12))
    assert status_at(app, T0 + timedelta(days=1)).completed_at == T0 + timedelta(days=1)


def test_a_dry_run_records_nothing(app):
    purge_at(app, T0, dry_run=True)
    assert status_at(app, T0).state == "never"
    purge_at(app, T0)
    purge_at(app, T0 + timedelta(days=2), dry_run=True)
    assert status_at(app, T0 + timedelta(days=2)).completed_at == T0


def test_a_purge_that_fails_part_way_records_nothing(app, broken_purger):
    with pytest.raises(PurgeFailed):
        purge_at(app, T0)
    assert status_at(app, T0).state == "never"


def test_a_failed_purge_keeps_the_last_completed_time_and_turns_late(app, monkeypatch):
    purge_at(app, T0)
    victim = registry.purgers()[-1]

    def fail(_now, _days, _size):
        raise PurgeFailed("connection lost")

    monkeypatch.setitem(registry._purgers, victim.name, dataclasses.replace(victim, batch=fail))
    with pytest.raises(PurgeFailed):
        purge_at(app, T0 + timedelta(days=1))
    status = status_at(app, T0 + timedelta(days=2))
    assert status.completed_at == T0
    assert status.state == "late"


# The command


def test_a_command_that_fails_part_way_exits_with_an_error_and_records_nothing(
    app, runner, clock, broken_purger
):
    clock.current = T0
    failed = runner.invoke(args=["privacy", "purge"])
    assert failed.exit_code != 0
    assert status_at(app, T0).state == "never"


def test_the_command_records_the_time_it_ran_at_and_a_dry_run_does_not(app, runner, clock):
    clock.current = T0
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert status_at(app, T0).completed_at == T0
    clock.current = T0 + timedelta(days=1)
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert status_at(app, T0 + timedelta(days=1)).completed_at == T0


# /healthz: ok, late or never, and nothing more; always 200 while the database answers


@pytest.mark.parametrize(
    ("since", "purge"),
    [(LATE_AFTER, "ok"), (LATE_AFTER + SECOND, "late")],
)
def test_healthz_says_whether_the_purge_is_late(app, client, clock, since, purge):
    purge_at(app, T0)
    clock.current = T0 + since
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "purge": purge, "limiter": "ok"}


def test_healthz_says_when_the_purge_never_ran(client, clock):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "purge": "never", "limiter": "ok"}


# /admin


def admin_page(client, auth, admin, at) -> str:
    """Sign in just before `at` (a session lasts 12 hours), then open /admin at `at`."""
    auth.clock.current = at - timedelta(minutes=5)
    auth.login(admin)
    auth.clock.current = at
    response = client.get("/admin")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_admin_page_shows_the_last_purge_and_no_warning_on_time(app, client, auth, admin):
    purge_at(app, T0)
    page = admin_page(client, auth, admin, T0 + LATE_AFTER)
    assert SHOWN_T0 in page
    assert LATE_WARNING not in page
    assert NEVER_WARNING not in page


def test_admin_page_warns_calmly_when_the_purge_is_late(app, client, auth, admin):
    purge_at(app, T0)
    page = admin_page(client, auth, admin, T0 + LATE_AFTER + SECOND)
    assert SHOWN_T0 in page
    assert LATE_WARNING in page
    assert NEVER_WARNING not in page


def test_admin_page_warns_when_the_purge_never_ran(client, auth, admin):
    page = admin_page(client, auth, admin, T0)
    assert NEVER_WARNING in page
    assert LATE_WARNING not in page
