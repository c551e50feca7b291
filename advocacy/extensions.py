"""Extension objects, created unbound and initialised in create_app.

Models and services import from here, never from the application package,
so there are no circular imports.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage, Storage
from sqlalchemy.orm import DeclarativeBase

from advocacy.security import PasswordService, client_key

T = TypeVar("T")
log = logging.getLogger("advocacy")


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class LockedMemoryStorage(MemoryStorage):
    """limits' in-process counters, one increment at a time.

    limits 5.8.0's MemoryStorage.incr can start one expiry Timer twice when two threads of
    a gthread worker count at once ("threads can only be started once": a 500 on sign-in
    under load). Used as "locked-memory://" (config RATELIMIT_STORAGE_URI), and as the
    fallback while the configured storage does not answer.
    """

    STORAGE_SCHEME = ["locked-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.counting = threading.Lock()

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        with self.counting:
            return super().incr(key, expiry, amount)


class FallbackLimiter(Limiter):
    """Flask-Limiter, whose in-memory fallback also holds accounts/limits.py's counters.

    With RATELIMIT_IN_MEMORY_FALLBACK_ENABLED (config.py), Flask-Limiter marks its storage
    dead (`_storage_dead`) when counting in it fails, counts in a memory storage of its own
    meanwhile (`_fallback_storage`), and before later requests, after pauses of 1, 2, 4…
    32 seconds, checks the storage again and returns to it once it answers. This class
    says so in the log once each way (never the storage's address), lets the app's own
    counters follow the same switch (`counting`), and tells /healthz (`degraded`).
    """

    def __init__(self, *args, **kwargs) -> None:
        self._dead = False
        self._switching = threading.Lock()
        super().__init__(*args, **kwargs)

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        self._dead = False  # a new storage: nothing known against it yet
        if self._fallback_limiter is not None:
            self._fallback_storage = LockedMemoryStorage()
            self._fallback_limiter = type(self._fallback_limiter)(self._fallback_storage)

    @property
    def _storage_dead(self) -> bool:
        return self._dead

    @_storage_dead.setter
    def _storage_dead(self, dead: bool) -> None:
        with self._switching:
            changed, self._dead = dead != self._dead, dead
        if changed and dead:
            log.warning(
                "Rate-limit storage (Redis) does not answer: limits are counted per process, "
                "in memory, until it answers again."
            )
        elif changed:
            log.info("Rate-limit storage answers again: limits are shared again.")

    def counting(self, operation: Callable[[Storage], T]) -> T:
        """Run operation on the storage limits are counted in now; if the configured
        storage fails, switch to the in-memory fallback and run it there instead."""
        storage = self.limiter.storage
        try:
            return operation(storage)
        except storage.base_exceptions:
            if storage is not self.storage or self._fallback_limiter is None:
                raise
            self._storage_dead = True
            return operation(self._fallback_storage)

    def degraded(self) -> bool:
        """Whether limits are counted per process because the configured storage fails.

        Asks the storage when it was thought to answer; the way back is Flask-Limiter's
        own check before requests.
        """
        falls_back = self._fallback_limiter is not None
        if falls_back and not self._storage_dead and not self.storage.check():
            self._storage_dead = True
        return self._storage_dead


# Keyed by a keyed hash of the client address, never the address itself.
limiter = FallbackLimiter(key_func=client_key)
passwords = PasswordService()
