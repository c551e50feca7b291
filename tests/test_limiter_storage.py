"""The in-process rate-limit counters count one increment at a time.

limits 5.8.0's MemoryStorage can start its expiry Timer twice when two threads of a gthread
worker count at once ("threads can only be started once"), which made a sign-in a 500.
"""

from limits.storage import MemoryStorage, storage_from_string

from advocacy.config import Config
from advocacy.extensions import LockedMemoryStorage


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
