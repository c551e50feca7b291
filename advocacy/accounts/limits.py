"""Rate limits: sign-in, recovery, joining and the code step per account and per client;
password re-entry per signed-in account. Keys are keyed hashes: the store never holds
a pseudonym, an account id or an address."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from flask import current_app, request, session
from flask_login import current_user

from advocacy.accounts.policy import PSEUDONYM_MAX, pseudonym_key
from advocacy.extensions import limiter
from advocacy.security import client_key


def keyed(purpose: str, value: str) -> str:
    """Return a keyed hash of value for one purpose."""
    key = hashlib.sha256(f"ratelimit-{purpose}:".encode() + current_app.secret_key.encode())
    return f"{purpose}:" + hmac.new(key.digest(), value.encode(), hashlib.sha256).hexdigest()[:32]


def pseudonym_limit_key() -> str:
    """Key a limit on the pseudonym typed."""
    typed = request.form.get("pseudonym", "")[: PSEUDONYM_MAX * 4]
    return keyed("pseudonym", pseudonym_key(typed))


def pending_account_key() -> str:
    """Key the code step on the account whose password was just right (else the client)."""
    pending = session.get("pending_account")
    return keyed("pending", str(pending)) if pending else client_key()


def signed_in_account_key() -> str:
    """Key a limit on the signed-in account."""
    return keyed("account", str(current_user.id)) if current_user.is_authenticated else client_key()


def setting(name: str) -> Callable[[], str]:
    """Read a limit from the config at request time."""
    return lambda: current_app.config[name]


def limit_attempts(
    per_account_setting: str,
    per_client_setting: str,
    account_key: Callable[[], str] = pseudonym_limit_key,
):
    """Decorate a POST view with a per-account and a per-client limit.

    Every attempt counts when it arrives (not only failures after the answer), so
    many attempts sent at once cannot slip past the limit before any is counted.
    """

    def decorator(view):
        view = limiter.limit(
            setting(per_account_setting),
            key_func=account_key,
            methods=["POST"],
            scope=f"{view.__name__}-account",
        )(view)
        return limiter.limit(
            setting(per_client_setting),
            methods=["POST"],
            scope=f"{view.__name__}-client",
        )(view)

    return decorator


def limit_password_checks(view):
    """Throttle routes that ask a signed-in member for their password again."""
    return limit_attempts(
        "LIMIT_PASSWORD_CHECKS", "LIMIT_LOGIN_PER_CLIENT", account_key=signed_in_account_key
    )(view)
