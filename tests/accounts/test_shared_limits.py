"""Sign-in limits hold across several gunicorn workers when counted in Redis: exactly the
allowed number of failures gets through, and right passwords sent among them never count."""

import http.client
import random
import secrets
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from tests.support.accounts import PASSWORD, make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.gunicorn import run_gunicorn, wait_for_workers

pytestmark = pytest.mark.gunicorn
REDIS_URL = "redis://127.0.0.1:6379"
WRONG, RIGHT, LIMIT = 60, 20, 5
WRONG_PASSWORD = "wrong guess " * 2


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def login(url: str, pseudonym: str, password: str) -> int:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CEILING_SECONDS)
    body = urllib.parse.urlencode({"pseudonym": pseudonym, "password": password})
    connection.request(
        "POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    status = connection.getresponse().status
    connection.close()
    return status


def admitted_failures(tmp_path, database_url, storage: str) -> int:
    """Send wrong and right passwords at once, then wrong ones until refused; count the
    wrong ones that were checked."""
    env = {
        "ADVOCACY_ENV": "test",
        "ADVOCACY_DATABASE_URL": database_url,
        "ADVOCACY_RATELIMIT_STORAGE": storage,
        "ADVOCACY_RATELIMIT_KEY_PREFIX": "test-" + secrets.token_hex(6),
        "ADVOCACY_LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT": f"{LIMIT} per 15 minutes",
        "ADVOCACY_LIMIT_LOGIN_PER_ACCOUNT": "1000 per hour",
        "ADVOCACY_LIMIT_LOGIN_PER_CLIENT": "1000 per hour",
        "ADVOCACY_WORKERS": "4",
        # sync workers take one connection at a time, and real argon2 makes each attempt
        # take a while, so the concurrent attempts spread over all four workers.
        "ADVOCACY_WORKER_CLASS": "sync",
        "ADVOCACY_ARGON2_PROFILE": "default",
        # gunicorn says "Booting worker" at info: the test waits for all four.
        "ADVOCACY_LOG_LEVEL": "info",
    }
    passwords = [WRONG_PASSWORD] * WRONG + [PASSWORD] * RIGHT
    random.shuffle(passwords)
    with run_gunicorn(tmp_path, env) as server, ThreadPoolExecutor(len(passwords)) as pool:
        # The first worker answers before the others have booted: wait for all of them.
        wait_for_workers(server, 4)
        # Twice the limit in right passwords first: were successes counted, none would pass.
        first = [login(server.url, "river-member", PASSWORD) for _ in range(2 * LIMIT)]
        assert first == [303] * (2 * LIMIT), server.output()[-3000:]
        statuses = list(pool.map(lambda p: login(server.url, "river-member", p), passwords))
        later = []
        while len(later) < 2 * WRONG and 429 not in later:
            later.append(login(server.url, "river-member", WRONG_PASSWORD))
    wrong = [status for status, p in zip(statuses, passwords, strict=True) if p != PASSWORD]
    right = [status for status, p in zip(statuses, passwords, strict=True) if p == PASSWORD]
    assert set(wrong + later) <= {200, 429}, server.output()[-3000:]
    assert set(right) <= {303, 429}, server.output()[-3000:]
    return wrong.count(200) + later.count(200)


@pytest.mark.redis
def test_redis_limit_is_exact_across_workers(app, tmp_path, database_url):
    if not redis_answers():
        pytest.fail("Redis does not answer at 127.0.0.1:6379 (.ci/run starts it)")
    make_account(app, "river-member")
    assert admitted_failures(tmp_path, database_url, REDIS_URL) == LIMIT


def test_negative_control_memory_counts_per_worker(app, tmp_path, database_url):
    """In-process counters let more through: the test above can see the difference."""
    make_account(app, "river-member")
    assert admitted_failures(tmp_path, database_url, "locked-memory://") > LIMIT
