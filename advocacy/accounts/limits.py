"""Rate limits for sign-in, recovery, joining and invites: per pseudonym and per client."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request

from advocacy.accounts.policy import pseudonym_key
from advocacy.extensions import limiter


def pseudonym_limit_key() -> str:
    """Key a limit on the pseudonym typed (a keyed hash, so the store never holds names)."""
    typed = pseudonym_key(request.form.get("pseudonym", ""))[:120]
    key = hashlib.sha256(b"ratelimit-pseudonym:" + current_app.secret_key.encode()).digest()
    return "pseudonym:" + hmac.new(key, typed.encode(), hashlib.sha256).hexdigest()[:32]


def setting(name: str):
    """Read a limit from the config at request time."""
    return lambda: current_app.config[name]


def limit_attempts(per_account_setting: str, per_client_setting: str):
    """Decorate a POST view with both limits.

    Every attempt counts when it arrives (not only failures after the answer), so
    many attempts sent at once cannot slip past the limit before any is counted.
    """

    def decorator(view):
        view = limiter.limit(
            setting(per_account_setting),
            key_func=pseudonym_limit_key,
            methods=["POST"],
            scope=f"{view.__name__}-pseudonym",
        )(view)
        return limiter.limit(
            setting(per_client_setting),
            methods=["POST"],
            scope=f"{view.__name__}-client",
        )(view)

    return decorator
