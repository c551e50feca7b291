"""With Redis stopped, pages read as before and sign-in keeps working and limited: the
limits are counted per process, in memory (Flask-Limiter's in-memory fallback), the log
says so once and /healthz says "degraded". Once Redis answers again, the first requests
after Flask-Limiter's next look (it polls the storage after growing pauses) count in Redis
again and /healthz says "ok".

The test owns its Redis: a redis-server of its own on a spare port, in a throwaway
directory, stopped and started again on the same port. The database plays no part, so
the SQLite pass is enough.
"""

import logging
import time

import pytest

from tests.support.accounts import PASSWORD, make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.redis_server import own_redis

pytestmark = [pytest.mark.redis, pytest.mark.sqlite_only]

LIMIT = 3
WRONG = "not the password at all"
READING = ["/", "/events", "/stories", "/privacy"]


@pytest.fixture
def redis_server(tmp_path):
    with own_redis(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def app_overrides(redis_server):
    return {
        "RATELIMIT_STORAGE_URI": redis_server.url,
        "LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT": f"{LIMIT} per 15 minutes",
    }


def counts_in_redis(server) -> list[int]:
    """Every counter the server holds (it is this test's own)."""
    client = server.client()
    return sorted(int(client.get(key)) for key in client.scan_iter())


def sign_in(browser, password: str) -> int:
    form = {"pseudonym": "river-member", "password": password}
    return browser.post("/login", data=form).status_code


def guesses_until_refused(browser) -> list[int]:
    """Wrong passwords until one is refused (429), at most twice the limit."""
    statuses: list[int] = []
    while 429 not in statuses and len(statuses) < 2 * LIMIT:
        statuses.append(sign_in(browser, WRONG))
    return statuses


def health(browser) -> dict:
    response = browser.get("/healthz")
    assert response.status_code == 200
    return response.get_json()


def test_limits_fall_back_to_memory_while_redis_is_stopped_and_return_to_it(
    app, redis_server, caplog
):
    caplog.set_level(logging.INFO)
    make_account(app, "river-member")
    reader, guesser = app.test_client(), app.test_client()

    # Redis answers: the limit is counted there.
    assert sign_in(reader, PASSWORD) == 303
    assert [reader.get(path).status_code for path in READING] == [200, 200, 200, 200]
    assert guesses_until_refused(guesser) == [200, 200, 200, 429]
    assert LIMIT in counts_in_redis(redis_server)
    assert health(reader) == {"status": "ok", "purge": "never", "limiter": "ok"}

    redis_server.stop()

    # Reading pages never notice, before the limiter has seen the outage and after.
    assert [reader.get(path).status_code for path in READING] == [200, 200, 200, 200]
    # Signing in still works, and wrong passwords are limited anew in this process's memory.
    assert sign_in(app.test_client(), PASSWORD) == 303
    assert guesses_until_refused(guesser) == [200, 200, 200, 429]
    assert [reader.get(path).status_code for path in READING] == [200, 200, 200, 200]
    assert health(reader) == {"status": "ok", "purge": "never", "limiter": "degraded"}
    assert health(reader) == {"status": "ok", "purge": "never", "limiter": "degraded"}
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings  # once, not once per request
    assert "per process" in warnings[0]
    assert "until it answers again" in warnings[0]

    redis_server.start()
    assert counts_in_redis(redis_server) == []  # it kept nothing

    # Flask-Limiter looks again before a later request; poll until it has.
    deadline = time.monotonic() + CEILING_SECONDS
    while health(reader)["limiter"] == "degraded":
        assert time.monotonic() < deadline, "the limiter never went back to Redis"
        assert reader.get("/").status_code == 200
        time.sleep(0.1)
    assert health(reader) == {"status": "ok", "purge": "never", "limiter": "ok"}
    assert "limits are shared again" in caplog.text
    # The guesser's in-memory count was spent; Redis counts afresh.
    assert guesses_until_refused(guesser) == [200, 200, 200, 429]
    assert LIMIT in counts_in_redis(redis_server)

    # No address, port or key anywhere in the log: only that the limits are per process.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("127.0.0.1", str(redis_server.port), "redis://", "river-member", "LIMITS"):
        assert secret not in logged
