"""Run the app under the repository's gunicorn.conf.py in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from advocacy.config import PROJECT_ROOT
from tests.support.ceiling import CEILING_SECONDS


def bound_socket() -> socket.socket:
    """Return a socket bound to a free port, for gunicorn to inherit (no probe-then-bind race)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.set_inheritable(True)
    return listener


class GunicornServer:
    """A gunicorn process with its output captured in files."""

    def __init__(self, url: str, stdout: Path, stderr: Path) -> None:
        self.url = url
        self.stdout = stdout
        self.stderr = stderr

    def output(self) -> str:
        """Return everything gunicorn and the app printed."""
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")


@contextmanager
def run_gunicorn(tmp_path: Path, env: dict[str, str]) -> Iterator[GunicornServer]:
    """Start gunicorn with the repository config and env, wait until it answers."""
    listener = bound_socket()
    port = listener.getsockname()[1]
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")},
        "ADVOCACY_BIND": f"fd://{listener.fileno()}",
        **env,
    }
    stdout, stderr = tmp_path / "gunicorn.out", tmp_path / "gunicorn.err"
    with listener, open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT_ROOT,
            env=full_env,
            stdout=out,
            stderr=err,
            pass_fds=(listener.fileno(),),
        )
        server = GunicornServer(f"http://127.0.0.1:{port}", stdout, stderr)
        try:
            wait_until_up(server, process)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=CEILING_SECONDS)


def wait_for_workers(server: GunicornServer, count: int) -> None:
    """Poll gunicorn's log (at level info) until `count` workers have booted."""
    deadline = time.monotonic() + CEILING_SECONDS
    while server.output().count("Booting worker") < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {count} workers booted:\n{server.output()}")
        time.sleep(0.2)


def wait_until_up(server: GunicornServer, process: subprocess.Popen) -> None:
    """Poll /healthz until it answers, or fail with gunicorn's output."""
    deadline = time.monotonic() + CEILING_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=CEILING_SECONDS):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in time:\n{server.output()}")
