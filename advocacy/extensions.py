"""Extension objects, created unbound and initialised in create_app.

Models and services import from here, never from the application package,
so there are no circular imports.
"""

import threading

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage
from sqlalchemy.orm import DeclarativeBase

from advocacy.security import PasswordService, client_key


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Keyed by a keyed hash of the client address, never the address itself.
limiter = Limiter(key_func=client_key)


class LockedMemoryStorage(MemoryStorage):
    """limits' in-process counters, one increment at a time.

    limits 5.8.0's MemoryStorage.incr can start one expiry Timer twice when two threads of
    a gthread worker count at once ("threads can only be started once": a 500 on sign-in
    under load). Used as "locked-memory://" (config RATELIMIT_STORAGE_URI).
    """

    STORAGE_SCHEME = ["locked-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.counting = threading.Lock()

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        with self.counting:
            return super().incr(key, expiry, amount)


passwords = PasswordService()
