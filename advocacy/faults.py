"""Fault points: named places inside writes where a test can stop a worker (tests only).

A write calls `fault_point(name)` where a crash would do most harm: between counting a
place taken and writing the row that holds it, or just after a commit the member has
not yet been told of. tests/test_worker_kill.py starts gunicorn with

    ADVOCACY_ENV=test                          (TestConfig: TESTING is True)
    ADVOCACY_FAULT_POINTS=rsvp.place_taken     (names from POINTS, comma-separated)
    ADVOCACY_FAULT_DIR=/some/empty/directory   (must exist)

The first request to reach an armed point creates `<ADVOCACY_FAULT_DIR>/<name>`
(exclusively, mode 0600) holding the worker's pid and a newline, then waits forever:
the test SIGKILLs that worker there. The file stays, so every later request, in any
worker, passes the point: each armed point stops one request per server run.

Inert otherwise: `register_faults` arms nothing unless the app's config says TESTING
and ADVOCACY_FAULT_POINTS is set, and an unarmed `fault_point` is one dictionary
lookup. Nothing a request sends is read, so no user can arm a point or reach a stop.
An unknown name or a missing directory is a RuntimeError at start-up, never a silent
point that cannot fire.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from advocacy.config import env

EXTENSION = "advocacy.faults"
# Every point a write calls, and what has been done (but not committed, or not answered)
# when a worker stops there.
POINTS = {
    "rsvp.place_taken": "events.rsvps.rsvp: the meeting's place counted, no RSVP row yet",
    "rsvp.committed": "events.views.rsvp: the RSVP committed, the member not yet answered",
    "enroll.place_taken": "programs.services.enroll: the place counted, no enrollment row yet",
    "enroll.committed": "programs.views.enroll: the enrollment committed, not yet answered",
    "story.written": "stories.services.submit: the story row written as pending, not committed",
    "story.committed": "stories.views.save_or_submit: the story committed, not yet answered",
}


@dataclass(frozen=True)
class Armed:
    """The points a test armed, and the directory where reaching one is recorded."""

    points: frozenset[str]
    folder: Path

    def stop(self, name: str) -> None:
        """Record this worker's pid in `folder/name` and wait forever; return at once if
        the point already stopped a request (the file exists)."""
        try:
            descriptor = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        with os.fdopen(descriptor, "w") as record:
            record.write(f"{os.getpid()}\n")
        threading.Event().wait()


def register_faults(app: Flask) -> None:
    """Arm the points named by ADVOCACY_FAULT_POINTS, only in a TESTING app (else nothing,
    and a warning in the log if the variable is set: an operator's mistake to notice).

    RuntimeError for a name not in POINTS or an ADVOCACY_FAULT_DIR that is no directory.
    """
    names = env("FAULT_POINTS")
    if names and not app.testing:
        app.logger.warning("ADVOCACY_FAULT_POINTS is set but ignored: it is for tests only")
    if not app.testing or not names:
        return
    points = frozenset(name.strip() for name in names.split(","))
    unknown = sorted(points - POINTS.keys())
    if unknown:
        raise RuntimeError(f"ADVOCACY_FAULT_POINTS names unknown points: {', '.join(unknown)}")
    folder = env("FAULT_DIR")
    if not folder or not Path(folder).is_dir():
        raise RuntimeError("ADVOCACY_FAULT_POINTS needs ADVOCACY_FAULT_DIR, an existing directory")
    app.extensions[EXTENSION] = Armed(points, Path(folder))


def fault_point(name: str) -> None:
    """Stop the request here if a test armed `name` (module docstring); else do nothing."""
    armed = current_app.extensions.get(EXTENSION)
    if armed is not None and name in armed.points:
        armed.stop(name)
