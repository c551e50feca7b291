"""Sixteen people joining at once, on SQLite behind four gunicorn workers, all get in.

argon2id with its production parameters holds a CPU for a while per password. Were a
password hashed while the request held SQLite's write lock, the other joins would wait
past the busy timeout and get 503s (the hardening issue saw 5 of 16 refused).

This is the end-to-end check that all sixteen get in. Tests wait for SQLite's lock as long
as for anything else (ADVOCACY_SQLITE_BUSY_TIMEOUT_MS, so a busy machine never fails
them), which lets sixteen hashes fit even under the lock: the test that fails whenever a
password is hashed with the lock held is the spy in test_hardening.py
(test_passwords_are_hashed_and_checked_without_holding_the_write_lock).
"""

from __future__ import annotations

import http.client
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.accounts.helpers import invite_code
from tests.support.ceiling import CEILING_SECONDS
from tests.support.gunicorn import run_gunicorn, wait_for_workers

pytestmark = [pytest.mark.gunicorn, pytest.mark.sqlite_only]
JOINERS = 16
NAMES = [
    "alder",
    "amber",
    "aspen",
    "birch",
    "cedar",
    "clover",
    "coral",
    "daisy",
    "fern",
    "hazel",
    "iris",
    "juniper",
    "laurel",
    "maple",
    "olive",
    "willow",
]


def join(url: str, code: str, name: str) -> int:
    """Post the join form as a browser without JavaScript would; return the status."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CEILING_SECONDS)
    form = {
        "invite_code": code,
        "pseudonym": f"quiet {name}",
        "password": "harbor lantern morning ember",
        "password_confirm": "harbor lantern morning ember",
        "action": "join",
    }
    connection.request(
        "POST",
        "/join",
        body=urllib.parse.urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_sixteen_joins_at_once_on_four_workers_all_succeed(app, tmp_path, database_url):
    codes = [invite_code(app, datetime.now(UTC)) for _ in range(JOINERS)]  # the server's clock
    env = {
        "ADVOCACY_ENV": "test",
        "ADVOCACY_DATABASE_URL": database_url,
        "ADVOCACY_WORKERS": "4",
        "ADVOCACY_ARGON2_PROFILE": "default",  # production's argon2id, not the tests' cheapest
        "ADVOCACY_LIMIT_JOIN_PER_CLIENT": "100 per hour",  # every joiner is 127.0.0.1 here
        "ADVOCACY_LOG_LEVEL": "info",  # gunicorn says "Booting worker" at info
    }
    with run_gunicorn(tmp_path, env) as server, ThreadPoolExecutor(JOINERS) as pool:
        wait_for_workers(server, 4)
        statuses = list(pool.map(lambda code, name: join(server.url, code, name), codes, NAMES))

    assert statuses == [303] * JOINERS, server.output()[-3000:]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == JOINERS
