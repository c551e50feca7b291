"""Rate limits that cannot be turned against a member: only failures count.

An attempt is counted as a failure when it arrives, so guesses sent all at once cannot
slip past before they are counted, and refunded when it succeeds, so successes never
count. Sign-in failures are limited per pseudonym and client (tight), per pseudonym
across clients (NIST SP 800-63B's 100 a day; a client the pseudonym signed in from
recently is exempt, so failures elsewhere never keep the owner out) and per client
across pseudonyms (generous: shelters and phone carriers share addresses). A refused
attempt is never checked, so it is no failure and counts nowhere.

Counts live in Flask-Limiter's storage (memory, or Redis for several workers), in fixed
windows whose counters take negative amounts: `incr(key, expiry, amount=-1)` is a plain
addition in both. While Redis does not answer they live in the process's memory instead,
as Flask-Limiter's own do (extensions.py: FallbackLimiter.counting). Keys are keyed
hashes: the store never holds a pseudonym, an account id or an address.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from functools import wraps

from flask import current_app, g, request
from flask_login import current_user
from limits import RateLimitItem, parse_many
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from advocacy.accounts.policy import pseudonym_key
from advocacy.errors import wait_in_words
from advocacy.extensions import limiter
from advocacy.security import client_key

# A pass after a recovery lets the next sign-in from that client through the limits once.
RECOVERY_PASS_SECONDS = 15 * 60


def keyed(purpose: str, value: str) -> str:
    """Return a keyed hash of value for one purpose."""
    key = hashlib.sha256(f"ratelimit-{purpose}:".encode() + current_app.secret_key.encode())
    return f"{purpose}:" + hmac.new(key.digest(), value.encode(), hashlib.sha256).hexdigest()[:32]


def signed_in_account_key() -> str:
    """Key a limit on the signed-in account."""
    return keyed("account", str(current_user.id)) if current_user.is_authenticated else client_key()


def pair_key(account_key: str) -> str:
    """Key something on one pseudonym (or account) from this client."""
    return keyed("pair", f"{account_key}\n{client_key()}")


@dataclass(frozen=True)
class Counter:
    """A failure count: the setting holding its limits, and its keyed name."""

    setting: str
    key: str


@dataclass
class Attempt:
    """Failures counted when an attempt arrived; refused when a limit was already reached."""

    counted: list[tuple[RateLimitItem, str]] = field(default_factory=list)
    retry_at: float | None = None

    @property
    def refused(self) -> bool:
        """Whether a limit refused this attempt (it must not be checked)."""
        return self.retry_at is not None

    def wait_message(self) -> str:
        """Say when a refused attempt may try again: when the fullest window ends (no
        server-side sleep). Only a refused attempt has a time to say."""
        return wait_in_words(self.retry_at)

    def refund(self) -> None:
        """Take this attempt's failures back (it succeeded, or was never checked)."""
        limiter.counting(self.take_back)

    def take_back(self, storage: Storage) -> None:
        for item, key in self.counted:
            if storage.incr(key, item.get_expiry(), amount=-1) < 0:
                # The window ended meanwhile, so the refund began a new one below zero.
                storage.incr(key, item.get_expiry(), amount=1)
        self.counted = []


def prefixed(key: str) -> str:
    return f"{current_app.config['RATELIMIT_KEY_PREFIX']}/{key}"


def count_failure(counters: list[Counter]) -> Attempt:
    """Count one failure on every counter; refuse (and count nothing) if any is over."""
    return limiter.counting(lambda storage: count_in(storage, counters))


def count_in(storage: Storage, counters: list[Counter]) -> Attempt:
    strategy = FixedWindowRateLimiter(storage)
    attempt = Attempt()
    reset_times: list[float] = []
    for counter in counters:
        for item in parse_many(current_app.config[counter.setting]):
            attempt.counted.append((item, item.key_for(prefixed(counter.key))))
            if not strategy.hit(item, prefixed(counter.key)):
                reset_times.append(strategy.get_window_stats(item, prefixed(counter.key))[0])
    if reset_times:
        attempt.take_back(storage)
        attempt.retry_at = max(reset_times)
    return attempt


def has_mark(key: str) -> bool:
    return limiter.counting(lambda storage: storage.get(prefixed(key)) > 0)


def set_mark(key: str, seconds: int) -> None:
    """Set a mark that expires after seconds (a new mark restarts the time)."""

    def mark(storage: Storage) -> None:
        storage.clear(prefixed(key))
        storage.incr(prefixed(key), seconds)

    limiter.counting(mark)


def remember_client(account_pseudonym_key: str) -> None:
    """Note that this pseudonym signed in from this client: it is a known client for a while."""
    days = current_app.config["LOGIN_KNOWN_CLIENT_DAYS"]
    set_mark(keyed("known", pair_key(account_pseudonym_key)), days * 24 * 3600)


def after_recovery(account_pseudonym_key: str) -> None:
    """A recovery code was spent here: know the client, and let its next sign-in through once."""
    remember_client(account_pseudonym_key)
    set_mark(keyed("pass", pair_key(account_pseudonym_key)), RECOVERY_PASS_SECONDS)


def sign_in_attempt(pseudonym: str, *, with_pass: bool) -> Attempt:
    """Count a sign-in or recovery attempt for the typed pseudonym from this client.

    With with_pass, a pass left by a recovery from this client is spent instead of any
    limit: it was earned with a recovery code, so it gives a guesser nothing.
    """
    account_key = pseudonym_key(pseudonym)
    pair = pair_key(account_key)
    if with_pass and has_mark(keyed("pass", pair)):
        limiter.counting(lambda storage: storage.clear(prefixed(keyed("pass", pair))))
        return Attempt()
    counters = [Counter("LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT", pair)]
    if not has_mark(keyed("known", pair)):
        counters.append(Counter("LIMIT_LOGIN_PER_ACCOUNT", keyed("pseudonym", account_key)))
    counters.append(Counter("LIMIT_LOGIN_PER_CLIENT", keyed("client", client_key())))
    return count_failure(counters)


def second_factor_attempt(account_id: int) -> Attempt:
    """Count a code-step attempt for the pending account: strict, no client is exempt."""
    return count_failure(
        [
            Counter("LIMIT_CODE_PER_ACCOUNT", keyed("pending", str(account_id))),
            Counter("LIMIT_LOGIN_PER_CLIENT", keyed("client", client_key())),
        ]
    )


class Limited(TooManyRequests):
    """A limit refused a signed-in member's password re-entry; the page says how long."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.wait_message = attempt.wait_message()


def limit_password_checks(view):
    """Count a POST that re-enters a signed-in member's password as a failure until
    password_was_right() takes it back; refuse with Limited when a limit is reached."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if request.method == "POST":
            attempt = count_failure(
                [
                    Counter("LIMIT_PASSWORD_CHECKS", keyed("account", str(current_user.id))),
                    Counter("LIMIT_LOGIN_PER_CLIENT", keyed("client", client_key())),
                ]
            )
            if attempt.refused:
                raise Limited(attempt)
            g.password_attempt = attempt
        return view(*args, **kwargs)

    return wrapped


def password_was_right() -> None:
    """Take back the failure counted for this request's password re-entry.

    Only in a POST to a view under limit_password_checks, which counted one.
    """
    g.pop("password_attempt").refund()
