"""Sign-in limits hold across several gunicorn workers when counted in Redis."""

import http.client
import secrets
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from tests.support.accounts import make_account
from tests.support.gunicorn import run_gunicorn

pytestmark = pytest.mark.gunicorn
REDIS_URL = "redis://127.0.0.1:6379"
ATTEMPTS, LIMIT = 80, 5


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def bad_login(url: str, pseudonym: str) -> int:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    body = urllib.parse.urlencode({"pseudonym": pseudonym, "password": "wrong guess " * 2})
    connection.request(
        "POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    status = connection.getresponse().status
    connection.close()
    return status


def admitted_attempts(tmp_path, database_url, storage: str) -> int:
    env = {
        "ADVOCACY_ENV": "test",
        "ADVOCACY_DATABASE_URL": database_url,
        "ADVOCACY_RATELIMIT_STORAGE": storage,
        "ADVOCACY_RATELIMIT_KEY_PREFIX": "test-" + secrets.token_hex(6),
        "ADVOCACY_LIMIT_LOGIN_PER_ACCOUNT": f"{LIMIT} per 15 minutes",
        "ADVOCACY_LIMIT_LOGIN_PER_CLIENT": "1000 per hour",
        "ADVOCACY_WORKERS": "4",
        # sync workers take one connection at a time, and real argon2 makes each attempt
        # take a while, so the concurrent attempts spread over all four workers.
        "ADVOCACY_WORKER_CLASS": "sync",
        "ADVOCACY_ARGON2_PROFILE": "default",
    }
    with run_gunicorn(tmp_path, env) as server, ThreadPoolExecutor(ATTEMPTS) as pool:
        # The first worker answers before the others have booted; let them all start.
        time.sleep(3)
        statuses = list(pool.map(lambda _: bad_login(server.url, "river-member"), range(ATTEMPTS)))
    assert set(statuses) <= {200, 429}
    return statuses.count(200)


def test_redis_limit_is_exact_across_workers(app, tmp_path, database_url):
    if not redis_answers():
        pytest.fail("Redis does not answer at 127.0.0.1:6379 (.ci/run starts it)")
    make_account(app, "river-member")
    assert admitted_attempts(tmp_path, database_url, REDIS_URL) == LIMIT


def test_negative_control_memory_counts_per_worker(app, tmp_path, database_url):
    """In-process counters let more through: the test above can see the difference."""
    make_account(app, "river-member")
    assert admitted_attempts(tmp_path, database_url, "memory://") > LIMIT
