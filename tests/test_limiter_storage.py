"""The in-process rate-limit counters count one increment at a time, and take over while
the configured storage (Redis) does not answer.

limits 5.8.0's MemoryStorage can start its expiry Timer twice when two threads of a gthread
worker count at once ("threads can only be started once"), which made a sign-in a 500.
"""

import logging
import socket
from collections.abc import Iterator

import pytest
from limits.storage import MemoryStorage, storage_from_string

from advocacy.config import Config
from advocacy.extensions import LockedMemoryStorage, limiter


def test_the_default_storage_is_the_locked_one():
    assert Config.RATELIMIT_STORAGE_URI == "locked-memory://"
    assert isinstance(storage_from_string("locked-memory://"), LockedMemoryStorage)


def test_each_increment_runs_under_the_lock(monkeypatch):
    storage = LockedMemoryStorage()
    held = []
    original = MemoryStorage.incr

    def spy(self, key, expiry, amount=1):
        held.append(self.counting.locked())
        return original(self, key, expiry, amount)

    monkeypatch.setattr(MemoryStorage, "incr", spy)
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("k", 60, amount=-1) == 2
    assert held == [True, True, True, True]
    assert storage.counting.locked() is False


# While the configured storage does not answer (here a Redis port that refuses every
# connection; tests/test_redis_outage.py stops and starts a real server), limits are
# counted in this process's memory, one increment at a time too (sign-in:
# tests/accounts/test_limits.py); /healthz finds out even before any sign-in does.


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port of 127.0.0.1 bound by this test and never listening: it refuses connections."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


@pytest.fixture
def app_overrides(refused_port) -> dict:
    return {"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{refused_port}"}


def test_healthz_finds_out_alone_and_the_log_says_it_once(client, caplog, refused_port):
    for _ in range(3):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.get_json() == {"status": "ok", "purge": "never", "limiter": "degraded"}
    [warning] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "per process" in warning
    assert str(refused_port) not in warning
    assert "127.0.0.1" not in warning
    assert isinstance(limiter.limiter.storage, LockedMemoryStorage)
