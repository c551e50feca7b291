"""The test-only fault points (advocacy/faults.py) are inert unless a test arms them.

The rule: a point stops a request only in an app whose config says TESTING, named by
ADVOCACY_FAULT_POINTS, recorded in the directory ADVOCACY_FAULT_DIR; once a point has
stopped a request (its record exists) it lets every later one through; a name that is
no point, or no directory, refuses to start. That an armed point does stop a request
is shown under gunicorn, where the worker can be killed (tests/test_worker_kill.py).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from advocacy import create_app
from advocacy.faults import fault_point
from tests.conftest import make_config
from tests.support.ceiling import CEILING_SECONDS
from tests.test_worker_kill import CASES

NAMES = [point for point, _, _ in CASES]


def goes_through(app, name: str, record: Path) -> bool:
    """Call fault_point(name) on a thread of its own: True once it returns, False as soon
    as it records this process (it stopped: the thread is left waiting, as a test fails)."""
    thread = threading.Thread(target=lambda: call_in(app, name), daemon=True)
    thread.start()
    deadline = time.monotonic() + CEILING_SECONDS
    while thread.is_alive():
        if record.exists() and record.read_text() == f"{os.getpid()}\n":
            return False
        if time.monotonic() > deadline:
            pytest.fail(f"{name} neither returned nor recorded a stop")
        time.sleep(0.01)
    return True


def call_in(app, name: str) -> None:
    with app.app_context():
        fault_point(name)


@pytest.fixture
def armed(monkeypatch, tmp_path) -> Path:
    """Every point named in the environment, as the worker-kill test names one."""
    folder = tmp_path / "faults"
    folder.mkdir()
    monkeypatch.setenv("ADVOCACY_FAULT_POINTS", ",".join(NAMES))
    monkeypatch.setenv("ADVOCACY_FAULT_DIR", str(folder))
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_a_point_named_outside_testing_lets_every_request_through(armed, database_url, name):
    app = create_app(make_config(database_url, TESTING=False))
    assert goes_through(app, name, armed / name)
    assert list(armed.iterdir()) == []


@pytest.mark.parametrize("name", NAMES)
def test_a_point_that_stopped_once_lets_every_later_request_through(armed, database_url, name):
    (armed / name).write_text("0\n")  # a request stopped here, and its worker was killed
    app = create_app(make_config(database_url))
    assert goes_through(app, name, armed / name)
    assert (armed / name).read_text() == "0\n"


def test_a_name_that_is_no_point_stops_the_start(armed, monkeypatch, database_url):
    monkeypatch.setenv("ADVOCACY_FAULT_POINTS", "rsvp.place_taken,rsvp.typo")
    with pytest.raises(RuntimeError, match="unknown points: rsvp.typo"):
        create_app(make_config(database_url))


@pytest.mark.parametrize("folder", ["", "missing"])
def test_points_without_a_directory_stop_the_start(armed, monkeypatch, database_url, folder):
    monkeypatch.setenv("ADVOCACY_FAULT_DIR", str(armed / folder) if folder else "")
    with pytest.raises(RuntimeError, match="needs ADVOCACY_FAULT_DIR"):
        create_app(make_config(database_url))


def test_points_named_outside_testing_are_said_in_the_log(armed, database_url, caplog):
    create_app(make_config(database_url, TESTING=False))
    assert "ADVOCACY_FAULT_POINTS is set but ignored" in caplog.text


def test_nothing_is_said_when_no_point_is_named(monkeypatch, database_url, caplog):
    monkeypatch.delenv("ADVOCACY_FAULT_POINTS", raising=False)
    create_app(make_config(database_url, TESTING=False))
    assert "ADVOCACY_FAULT_POINTS" not in caplog.text
