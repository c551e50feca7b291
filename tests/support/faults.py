"""Arm one test-only fault point (advocacy/faults.py) in the open app, for service tests.

tests/test_worker_kill.py kills a gunicorn worker at a point named in its environment and
relies on the moment each point marks; a service test checks that moment with `stop_at`,
which makes the named point raise `Stopped` (and every other point let the call through).
"""

from __future__ import annotations

import pytest
from flask import current_app

from advocacy import faults


class Stopped(Exception):
    """A call stopped at a fault point, where the worker-kill test kills the worker."""


class StopAt:
    """An armed fault point that raises where a worker would wait to be killed."""

    def __init__(self, name: str) -> None:
        self.points = frozenset({name})

    def stop(self, name: str) -> None:
        raise Stopped(name)


def stop_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Arm `name` alone in the current app until the test ends."""
    monkeypatch.setitem(current_app.extensions, faults.EXTENSION, StopAt(name))
