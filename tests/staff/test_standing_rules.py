"""The rules of an account's standing, called at the service level (accounts/standing.py).

Written here from the rules: nobody acts on their own account; pausing and removing
are for admins, and a removal needs the pseudonym typed; mentors stop members posting,
admins stop anyone but admins, for 1 to 365 days; a removed name is held back 180 days.
Each refusal is checked word for word and leaves the account as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from advocacy.accounts import standing
from advocacy.accounts.errors import AccountError, NotAllowed
from advocacy.accounts.models import Account, RetiredName, Role
from advocacy.accounts.policy import pseudonym_key
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.privacy import registry
from advocacy.staff import standing as staff_standing
from advocacy.staff.models import AuditEntry
from tests.support.accounts import said
from tests.support.event_rules import person

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
GONE = "That account no longer exists."
OWN = "You can't do this to your own account. Please ask another admin."
NOT_ALLOWED = "Your account can't do that."
CANT_STOP = "You can't stop this account posting. Please ask an admin."
CANT_LIFT = "You can't change this account's posting. Please ask an admin."
DAYS = "Choose a number of days from 1 to 365."


def reloaded(account: Account) -> Account:
    db.session.expire_all()
    return db.session.get(Account, account.id)


# Who is acted on


def test_an_account_that_is_gone_is_said_to_be_gone(in_request):
    admin = person("wren-admin", Role.ADMIN)
    for action in (
        lambda: standing.pause(admin, 999_999, now=NOW),
        lambda: standing.resume(admin, 999_999),
        lambda: standing.remove(admin, 999_999, confirm="x", now=NOW),
        lambda: standing.stop_posting(admin, 999_999, days=7, now=NOW),
        lambda: standing.lift_posting_stop(admin, 999_999),
    ):
        with pytest.raises(AccountError) as refused:
            action()
        assert said(refused) == GONE


def test_nobody_acts_on_their_own_account(in_request):
    admin = person("wren-admin", Role.ADMIN)
    for action in (
        lambda: standing.pause(admin, admin.id, now=NOW),
        lambda: standing.remove(admin, admin.id, confirm="wren-admin", now=NOW),
        lambda: standing.stop_posting(admin, admin.id, days=7, now=NOW),
        lambda: standing.lift_posting_stop(admin, admin.id),
    ):
        with pytest.raises(NotAllowed) as refused:
            action()
        assert said(refused) == OWN
    admin = reloaded(admin)
    assert (admin.paused_at, admin.posting_stopped_until) == (None, None)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR, Role.STAFF])
def test_only_admins_pause_resume_or_remove(in_request, role):
    actor, target = person("heron-actor", role), person("cedar-member")
    for action in (
        lambda: standing.pause(actor, target.id, now=NOW),
        lambda: standing.resume(actor, target.id),
        lambda: standing.remove(actor, target.id, confirm="cedar-member", now=NOW),
    ):
        with pytest.raises(NotAllowed) as refused:
            action()
        assert said(refused) == NOT_ALLOWED
    assert reloaded(target).paused_at is None


# Pausing


def test_a_pause_keeps_the_moment_it_began(in_request):
    admin, target = person("wren-admin", Role.ADMIN), person("cedar-member")
    token = target.session_token
    standing.pause(admin, target.id, now=NOW)
    target = reloaded(target)
    assert target.paused_at == NOW
    assert target.session_token != token
    standing.pause(admin, target.id, now=NOW + timedelta(days=1))
    assert reloaded(target).paused_at == NOW
    standing.resume(admin, target.id)
    assert reloaded(target).paused_at is None


# Removing


def test_a_removal_needs_the_pseudonym_typed(in_request):
    admin, target = person("wren-admin", Role.ADMIN), person("cedar-member")
    with pytest.raises(AccountError) as refused:
        standing.remove(admin, target.id, confirm="cedar-membe", now=NOW)
    assert said(refused) == "Please type the pseudonym exactly as shown to confirm."
    assert reloaded(target) is not None
    assert db.session.scalar(select(func.count()).select_from(RetiredName)) == 0


def test_a_removed_name_is_held_back_180_days_from_now(in_request):
    admin, target = person("wren-admin", Role.ADMIN), person("cedar-member", Role.MENTOR)
    assert standing.remove(admin, target.id, confirm="Cedar Member", now=NOW) == Role.MENTOR
    db.session.expire_all()
    assert db.session.get(Account, target.id) is None
    assert db.session.scalar(select(RetiredName.retired_until)) == NOW + timedelta(days=180)
    ends = NOW + timedelta(days=180)
    assert standing.is_retired("cedar-member", now=ends - SECOND)
    assert not standing.is_retired("cedar-member", now=ends)


def test_a_retired_name_is_kept_as_a_keyed_hash_whose_recipe_never_changes(in_request):
    """HMAC-SHA256 of the name's key under SHA-256("retired-name:" + SECRET_KEY): the
    hashes stored by an earlier release must still match, and another secret gives
    another hash (the value below is that recipe under the tests' SECRET_KEY)."""
    assert standing.retired_name_hash("cedar-member") == (
        "d6f276b424eec50467b6ee3b591fb14aaa8f76fd4fd46a405f279ae6a237ab34"
    )
    current_app.secret_key = "another-secret-key-that-is-long-enough-0123456789"
    assert standing.retired_name_hash("cedar-member") == (
        "e279fc2fed9b98d97ba62a1b4bc02c454424123a10759cfda26bb2e50ecad1bb"
    )


def test_only_the_retired_name_is_held_back(in_request):
    standing.retire_name(pseudonym_key("cedar-member"), now=NOW)
    assert standing.is_retired("Cedar Member", now=NOW)
    assert not standing.is_retired("river-member", now=NOW)


def test_a_name_retired_again_starts_a_new_period_and_other_names_keep_theirs(in_request):
    later = NOW + timedelta(days=200)
    standing.retire_name(pseudonym_key("cedar-member"), now=NOW)
    standing.retire_name(pseudonym_key("river-member"), now=NOW)
    standing.retire_name(pseudonym_key("cedar-member"), now=later)
    db.session.flush()

    assert db.session.scalar(select(func.count()).select_from(RetiredName)) == 2
    assert standing.is_retired("cedar-member", now=later + timedelta(days=180) - SECOND)
    assert standing.is_retired("river-member", now=NOW + timedelta(days=180) - SECOND)
    assert not standing.is_retired("river-member", now=NOW + timedelta(days=180))


# Posting stops


@pytest.mark.parametrize(
    ("actor_role", "target_role"),
    [
        (Role.MENTOR, Role.MEMBER),
        (Role.ADMIN, Role.MEMBER),
        (Role.ADMIN, Role.MENTOR),
        (Role.ADMIN, Role.STAFF),
    ],
)
def test_who_may_stop_whom_posting(in_request, actor_role, target_role):
    actor, target = person("heron-actor", actor_role), person("cedar-target", target_role)
    standing.stop_posting(actor, target.id, days=7, now=NOW)
    assert reloaded(target).posting_stopped_until == NOW + timedelta(days=7)
    standing.lift_posting_stop(actor, target.id)
    assert reloaded(target).posting_stopped_until is None


MAY_NOT_STOP = [
    (Role.MENTOR, Role.MENTOR),
    (Role.MENTOR, Role.STAFF),
    (Role.MENTOR, Role.ADMIN),
    (Role.ADMIN, Role.ADMIN),
    (Role.STAFF, Role.MEMBER),
    (Role.MEMBER, Role.MEMBER),
]


@pytest.mark.parametrize(("actor_role", "target_role"), MAY_NOT_STOP)
def test_who_may_not_stop_whom_posting(in_request, actor_role, target_role):
    actor, target = person("heron-actor", actor_role), person("cedar-target", target_role)
    with pytest.raises(NotAllowed) as refused:
        standing.stop_posting(actor, target.id, days=7, now=NOW)
    assert said(refused) == CANT_STOP
    assert reloaded(target).posting_stopped_until is None


@pytest.mark.parametrize(("actor_role", "target_role"), MAY_NOT_STOP)
def test_a_stop_can_be_lifted_only_by_who_may_make_it(in_request, actor_role, target_role):
    actor, target = person("heron-actor", actor_role), person("cedar-target", target_role)
    target.posting_stopped_until = NOW + timedelta(days=3)
    db.session.flush()
    with pytest.raises(NotAllowed) as refused:
        standing.lift_posting_stop(actor, target.id)
    assert said(refused) == CANT_LIFT
    assert reloaded(target).posting_stopped_until == NOW + timedelta(days=3)


@pytest.mark.parametrize("days", [1, 365])
def test_a_stop_lasts_1_to_365_days_from_now(in_request, days):
    mentor, target = person("heron-mentor", Role.MENTOR), person("cedar-member")
    standing.stop_posting(mentor, target.id, days=days, now=NOW)
    assert reloaded(target).posting_stopped_until == NOW + timedelta(days=days)


@pytest.mark.parametrize("days", [0, 366, -1])
def test_a_stop_outside_1_to_365_days_is_refused(in_request, days):
    mentor, target = person("heron-mentor", Role.MENTOR), person("cedar-member")
    with pytest.raises(AccountError) as refused:
        standing.stop_posting(mentor, target.id, days=days, now=NOW)
    assert said(refused) == DAYS
    assert reloaded(target).posting_stopped_until is None


def test_a_stop_is_in_force_until_its_last_moment(in_request):
    mentor, target = person("heron-mentor", Role.MENTOR), person("cedar-member")
    standing.stop_posting(mentor, target.id, days=1, now=NOW)
    ends = NOW + timedelta(days=1)
    assert standing.posting_stopped_until(target, now=ends - SECOND) == ends
    with pytest.raises(standing.PostingStopped) as refused:
        standing.check_can_post(target, now=ends - SECOND)
    assert said(refused) == (
        "You can't post stories or reports until 28 November 2026. If you think this is a "
        "mistake, talk to a mentor or staff member."
    )
    assert standing.posting_notice(target, now=ends - SECOND) == said(refused)
    assert standing.posting_stopped_until(target, now=ends) is None
    standing.check_can_post(target, now=ends)
    assert standing.posting_notice(target, now=ends) is None


def test_the_refusal_says_the_last_day_in_the_member_s_own_time_zone(in_request):
    """The stop ends 2026-11-28 12:00 UTC: 07:00 on the 28th in New York (the site's zone),
    but 01:00 on the 29th in Auckland (UTC+13 in November), where this member reads."""
    mentor, target = person("heron-mentor", Role.MENTOR), person("cedar-member")
    target.timezone = "Pacific/Auckland"
    standing.stop_posting(mentor, target.id, days=1, now=NOW)
    with pytest.raises(standing.PostingStopped) as refused:
        standing.check_can_post(target, now=NOW)
    assert said(refused) == (
        "You can't post stories or reports until 29 November 2026. If you think this is a "
        "mistake, talk to a mentor or staff member."
    )


def test_every_deletion_choice_defaults_to_deleting(app):
    """An admin's removal takes every choice at its default, so the default must delete:
    least data kept (and a member who skips the question keeps nothing either)."""
    with app.app_context():
        defaults = [(choice.field, choice.default) for choice in registry.deletion_choices()]
    assert defaults == [("published_stories", "delete")]


# What is logged and told: each change once (staff/standing.py)


def logged_and_told(target: Account) -> tuple[list[str], list[str]]:
    entries = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_id == target.id).order_by(AuditEntry.id)
    )
    notices = db.session.scalars(
        select(Notice.kind).where(Notice.account_id == target.id).order_by(Notice.id)
    )
    return list(entries), list(notices)


def test_a_pause_sent_twice_is_logged_and_told_once(in_request):
    admin, target = person("wren-admin", Role.ADMIN), person("cedar-member")
    staff_standing.pause(admin, target.id, now=NOW)
    staff_standing.pause(admin, target.id, now=NOW)  # a double tap, or a second admin
    assert logged_and_told(target) == (["account_paused"], ["account_paused"])
    staff_standing.resume(admin, target.id, now=NOW)
    staff_standing.resume(admin, target.id, now=NOW)
    assert logged_and_told(target) == (
        ["account_paused", "account_resumed"],
        ["account_paused", "account_resumed"],
    )


def test_resuming_an_account_never_paused_logs_and_tells_nothing(in_request):
    admin, target = person("wren-admin", Role.ADMIN), person("cedar-member")
    staff_standing.resume(admin, target.id, now=NOW)
    assert logged_and_told(target) == ([], [])


def test_lifting_a_stop_logs_and_tells_only_while_one_is_in_force(in_request):
    mentor, target = person("heron-mentor", Role.MENTOR), person("cedar-member")
    staff_standing.lift_posting_stop(mentor, target.id, now=NOW)
    assert logged_and_told(target) == ([], [])
    staff_standing.stop_posting(mentor, target.id, days=1, now=NOW)
    # A day later the stop has ended by itself: lifting it changes nothing.
    staff_standing.lift_posting_stop(mentor, target.id, now=NOW + timedelta(days=1))
    assert logged_and_told(target) == (["posting_stopped"], ["posting_stopped"])
    staff_standing.stop_posting(mentor, target.id, days=1, now=NOW)
    staff_standing.lift_posting_stop(mentor, target.id, now=NOW)
    assert logged_and_told(target)[0] == [
        "posting_stopped",
        "posting_stopped",
        "posting_stop_lifted",
    ]
