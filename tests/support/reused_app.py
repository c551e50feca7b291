"""One app per test process, reused from one test to the next while no test could tell.

Making an app costs about 30 ms of CPU (routes, extensions, templates' environment): with
some 12,000 tests that use one across both passes, several minutes of CI. The `app`
fixture (tests/conftest.py) takes its app from here. The app of the test before is
handed out again only when a fresh one could not differ:

- no Flask app was made since it (in the test or elsewhere): the extensions are
  module-level objects (the rate limiter and its counters, the password hasher, the
  sign-in manager) that every create_app points at its own app and settings;
- the test asks for the same database, the same config overrides (by repr) and the same
  ADVOCACY_ environment variables (create_app reads some, tests/test_faults.py) and
  mutant under test (make mutation switches one on in each process it forks);
- the test before left its config, its extensions, its routes and hooks, its views,
  templates' globals and filters, its WSGI callable, whether limits apply and its
  database engine's listeners as they were made;
- rate limits are counted in this process's memory (emptied here; a Redis shared with
  other processes is never emptied) and the limiter is not in its fallback.

Before a reused app is handed out, its rate-limit counters are emptied, and the page tokens
(advocacy/csrf_token.py), catalogues and built addresses it kept are forgotten; it may be
set up further, as a new app (a test's own failing route), and is then not reused again.
The database is the fixtures' own affair: a SQLite file restored from the migrated
template, or PostgreSQL's tables emptied.
It reads a few private attributes of Flask (_got_first_request, _check_setup_finished),
Flask-Limiter (_storage_dead, _fallback_storage) and SQLAlchemy's event dispatch; an
upgrade that changes them fails tests/test_reused_app.py, which checks each rule here.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from flask import Flask
from limits.storage import MemoryStorage

from advocacy import csrf_token, i18n, templating
from advocacy.extensions import db, limiter

_apps_made = count(1)
_latest_app = [0]  # the number of the last Flask app made in this process
_flask_init = Flask.__init__
# What an app keeps as it serves (the catalogues it loaded, the addresses its templates
# built): emptied before it is reused, as a new app starts without them.
LOADED_AS_IT_SERVES = i18n.CACHE
BUILT_AS_IT_SERVES = templating.ADDRESSES
# Config a test's fixtures set on the app as it starts (the `clock` fixture of
# tests/support/accounts.py), put back as made before the app is reused.
SET_BY_FIXTURES = frozenset({"CLOCK"})


def settings(config: dict) -> dict:
    """The config but what fixtures set per test."""
    return {key: value for key, value in config.items() if key not in SET_BY_FIXTURES}


def _counted_init(self: Flask, *args: Any, **kwargs: Any) -> None:
    _flask_init(self, *args, **kwargs)
    _latest_app[0] = next(_apps_made)


# mutmut (make mutation) names the mutant switched on in this variable: an app made with
# another one switched on (or none) may have run other code while it was made.
MUTANT = "MUTANT_UNDER_TEST"


def advocacy_environment() -> tuple[tuple[str, str], ...]:
    """The ADVOCACY_ variables of this process's environment and MUTANT, sorted."""
    return tuple(
        sorted((k, v) for k, v in os.environ.items() if k.startswith("ADVOCACY_") or k == MUTANT)
    )


def engine_listeners(app: Flask) -> tuple[int, ...]:
    """How many listeners each event of the app's engine and its connection pool has (a
    test's own, such as a pragma on every connection, would outlive it on a reused app)."""
    with app.app_context():
        engine = db.engine
    return tuple(
        len(getattr(dispatch, name))
        for dispatch in (engine.dispatch, engine.pool.dispatch)
        for name in dispatch._event_names
    )


def surface(app: Flask) -> tuple:
    """What a test could swap on an app or the limiter without a setup method: the WSGI
    callable, the views, the templates' globals and filters, whether limits apply."""
    environment = app.jinja_env
    return (
        app.wsgi_app,
        dict(app.view_functions),
        dict(environment.globals),
        dict(environment.filters),
        limiter.enabled,
    )


@dataclass
class Lent:
    """An app handed out, what it was made for and as, and its number among Flask apps."""

    app: Flask
    wanted: tuple
    number: int
    config: dict = field(default_factory=dict)  # a copy, as made
    reusable: bool = True  # False when its config could not be copied
    extensions: frozenset = frozenset()
    listeners: tuple = ()
    surface: tuple = ()
    set_up_since: list = field(default_factory=list)  # setup methods called while lent

    @classmethod
    def as_made(cls, app: Flask, wanted: tuple) -> Lent:
        """A new app, with what left_as_made compares later read off it now."""
        try:
            config, reusable = copy.deepcopy(dict(app.config)), True
        except (TypeError, copy.Error):  # something in it cannot be copied: never reused
            config, reusable = {}, False
        return cls(
            app,
            wanted,
            _latest_app[0],
            config,
            reusable,
            frozenset(app.extensions) - {LOADED_AS_IT_SERVES},
            engine_listeners(app),
            surface(app),
        )

    def left_as_made(self) -> bool:
        """Whether the test left nothing of its own on the app that a new one would lack."""
        counts_in_memory = isinstance(limiter.storage, MemoryStorage)
        return (
            self.reusable
            and counts_in_memory
            and not limiter._storage_dead
            and not self.set_up_since
            and frozenset(self.app.extensions) - {LOADED_AS_IT_SERVES} == self.extensions
            and settings(self.app.config) == settings(self.config)
            and engine_listeners(self.app) == self.listeners
            and surface(self.app) == self.surface
        )

    def reset(self) -> None:
        """Forget what earlier tests left: their clock, rate-limit counts, kept page tokens,
        loaded catalogues and built addresses; and let it be set up as a new app is."""
        for key in SET_BY_FIXTURES:
            if key in self.config:
                self.app.config[key] = self.config[key]
            else:
                self.app.config.pop(key, None)
        limiter.storage.reset()
        if limiter._fallback_storage is not None:
            limiter._fallback_storage.reset()
        self.app.extensions[csrf_token.EXTENSION].clear()
        self.app.extensions.pop(LOADED_AS_IT_SERVES, None)
        self.app.extensions[BUILT_AS_IT_SERVES].clear()
        # As new, it may be set up further (a test's own route, a handler): noted, and then
        # it is not reused again.
        self.app._got_first_request = False

    def note_setup(self, name: str) -> None:
        """Flask's check before a setup method (a route, a hook): noted, then done."""
        self.set_up_since.append(name)
        Flask._check_setup_finished(self.app, name)


class ReusedApps:
    """Hands out an app for (database URL, config overrides): the last one when it may be
    reused (module docstring), else a new one from make(database_url, overrides)."""

    def __init__(self, make: Callable[[str, dict], Flask]) -> None:
        self.make = make
        self.kept: Lent | None = None
        self.lent: Lent | None = None

    def take(self, database_url: str, overrides: dict) -> Flask:
        """The app for this test: the one given back last, reset, where it may be reused;
        else a new one."""
        wanted = (database_url, repr(sorted(overrides.items())), advocacy_environment())
        kept, self.kept = self.kept, None
        if kept is not None and kept.wanted == wanted and kept.number == _latest_app[0]:
            kept.reset()
            lent = kept
        else:
            lent = Lent.as_made(self.make(database_url, overrides), wanted)
        # Flask calls this before every setup method; the instance's own comes first.
        lent.app._check_setup_finished = lent.note_setup
        self.lent = lent
        return lent.app

    def give_back(self, app: Flask) -> None:
        """The test is over (its database closed): keep the app if a next test may reuse it."""
        lent, self.lent = self.lent, None
        if lent is not None and lent.app is app and lent.left_as_made():
            self.kept = lent


def number_apps_made() -> None:
    """From now on, number every Flask app made in this process (ReusedApps reuses only
    the latest)."""
    Flask.__init__ = _counted_init
