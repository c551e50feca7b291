"""The limits at the service, one client at a time (Attempt, counted in the app's store).

Written from the rules: a recovery makes its client known for that pseudonym only (a
known client is exempt from the pseudonym's ceiling across clients) and leaves that
pseudonym one free sign-in there; a client stays known for LOGIN_KNOWN_CLIENT_DAYS days
after the sign-in, and not a second longer; the code step is counted per account, so one
account's failures never hold another back; a refund that comes after its window ended
leaves the next window its full limit, even when another request's failure is counted
between the refund and its correction (a store shared by processes has no lock across
the two): that failure then opens a window as long as the limit's.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from limits.storage import memory

from advocacy.accounts import limits
from advocacy.accounts.policy import pseudonym_key
from advocacy.extensions import limiter

HOME, ELSEWHERE = "192.0.2.1", "198.51.100.9"
# Two failures a quarter of an hour for each pseudonym and client, the rest out of the way.
TWO_PER_15_MINUTES = pytest.mark.parametrize(
    "app_overrides",
    [
        {
            "LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT": "2 per 15 minutes",
            "LIMIT_LOGIN_PER_ACCOUNT": "100 per day",
            "LIMIT_LOGIN_PER_CLIENT": "100 per day",
        }
    ],
)


def at(app, address: str):
    """A request from one client address."""
    return app.test_request_context(environ_base={"REMOTE_ADDR": address})


class StoreClock:
    """The clock of the limits' memory store (seconds since the epoch), moved by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta).total_seconds()


@pytest.fixture
def store_clock(monkeypatch) -> StoreClock:
    clock = StoreClock()
    monkeypatch.setattr(memory, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def sign_in_refused(app, address: str, pseudonym: str, *, with_pass: bool = False) -> bool:
    with at(app, address):
        return limits.sign_in_attempt(pseudonym, with_pass=with_pass).refused


@pytest.mark.parametrize("app_overrides", [{"LIMIT_LOGIN_PER_ACCOUNT": "1 per day"}])
def test_a_recovery_makes_its_client_known_for_that_pseudonym_only(app):
    with at(app, HOME):
        limits.after_recovery(pseudonym_key("River Member"))
    for pseudonym in ("river-member", "cedar-member"):
        assert not sign_in_refused(app, ELSEWHERE, pseudonym)  # the day's one failure
        assert sign_in_refused(app, ELSEWHERE, pseudonym)

    assert not sign_in_refused(app, HOME, "river-member")
    assert sign_in_refused(app, HOME, "cedar-member")


def test_a_recovery_leaves_that_pseudonym_one_free_sign_in_from_its_client(app):
    with at(app, HOME):
        limits.after_recovery(pseudonym_key("river-member"))
        assert limits.sign_in_attempt("cedar-member", with_pass=True).counted != []
        assert limits.sign_in_attempt("river-member", with_pass=True).counted == []
        assert limits.sign_in_attempt("river-member", with_pass=True).counted != []


def test_a_recovery_attempt_counts_and_leaves_the_pass_for_the_sign_in(app):
    with at(app, HOME):
        limits.after_recovery(pseudonym_key("river-member"))
        assert limits.sign_in_attempt("river-member", with_pass=False).counted != []
        assert limits.sign_in_attempt("river-member", with_pass=True).counted == []


@pytest.mark.parametrize("app_overrides", [{"LIMIT_CODE_PER_ACCOUNT": "1 per 15 minutes"}])
def test_the_code_step_is_counted_per_account(app):
    with at(app, HOME):
        assert not limits.second_factor_attempt(7).refused
        refused = limits.second_factor_attempt(7)
        assert refused.refused
        assert refused.wait_message() == "Please try again in about 15 minutes."
        assert not limits.second_factor_attempt(8).refused


@pytest.mark.parametrize(
    "app_overrides",
    [{"LIMIT_LOGIN_PER_ACCOUNT": "1 per 1000 days", "LOGIN_KNOWN_CLIENT_DAYS": 30}],
)
def test_a_client_stays_known_for_30_days_after_a_sign_in_and_not_a_second_longer(app, store_clock):
    with at(app, HOME):
        limits.remember_client(pseudonym_key("river-member"))
    assert not sign_in_refused(app, ELSEWHERE, "river-member")  # the ceiling's one failure
    assert sign_in_refused(app, ELSEWHERE, "river-member")

    store_clock.advance(days=30, seconds=-1)
    assert not sign_in_refused(app, HOME, "river-member")  # known: past the ceiling
    store_clock.advance(seconds=1)
    assert sign_in_refused(app, HOME, "river-member")


@pytest.mark.parametrize(
    "app_overrides",
    [{"LIMIT_LOGIN_PER_ACCOUNT": "1 per 1000 days", "LOGIN_KNOWN_CLIENT_DAYS": 30}],
)
def test_each_sign_in_starts_the_30_days_again(app, store_clock):
    with at(app, HOME):
        limits.remember_client(pseudonym_key("river-member"))
    store_clock.advance(days=20)
    with at(app, HOME):
        limits.remember_client(pseudonym_key("river-member"))
    assert not sign_in_refused(app, ELSEWHERE, "river-member")  # the ceiling's one failure
    assert sign_in_refused(app, ELSEWHERE, "river-member")

    store_clock.advance(days=30, seconds=-1)  # 50 days after the first sign-in
    assert not sign_in_refused(app, HOME, "river-member")  # still known
    store_clock.advance(seconds=1)
    assert sign_in_refused(app, HOME, "river-member")


def late_refund(app, store_clock, refund) -> None:
    """A failed sign-in whose refund (`refund(attempt)`) comes a second after its
    15-minute window ended (a slow password hash)."""
    with at(app, HOME):
        attempt = limits.sign_in_attempt("river-member", with_pass=False)
    store_clock.advance(minutes=15, seconds=1)
    with at(app, HOME):
        refund(attempt)


@TWO_PER_15_MINUTES
def test_a_refund_after_its_window_ended_leaves_the_next_window_its_full_limit(app, store_clock):
    # A sign-in that took longer than the window (a slow password hash) is refunded after
    # the window ended: the refund must not leave a credit of one more failure.
    late_refund(app, store_clock, lambda attempt: attempt.refund())
    assert not sign_in_refused(app, HOME, "river-member")
    assert not sign_in_refused(app, HOME, "river-member")
    assert sign_in_refused(app, HOME, "river-member")  # 2 per 15 minutes, not 3


class FailureMeanwhile:
    """The store, where another request's failure is counted right after each refund that
    went below zero (before the refund is corrected)."""

    def __init__(self, storage) -> None:
        self.storage = storage

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        count = self.storage.incr(key, expiry, amount)
        if count < 0:
            self.storage.incr(key, expiry, 1)  # the other request's failure
        return count


@TWO_PER_15_MINUTES
def test_a_failure_counted_during_a_late_refund_opens_a_full_window(app, store_clock):
    late_refund(
        app,
        store_clock,
        lambda attempt: limiter.counting(
            lambda storage: attempt.take_back(FailureMeanwhile(storage))
        ),
    )
    # The other request's failure counts (one of 2) for 15 minutes from the refund.
    assert not sign_in_refused(app, HOME, "river-member")
    assert sign_in_refused(app, HOME, "river-member")
    store_clock.advance(minutes=15, seconds=-1)
    assert sign_in_refused(app, HOME, "river-member")
    store_clock.advance(seconds=1)
    assert not sign_in_refused(app, HOME, "river-member")
