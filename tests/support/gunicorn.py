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


def free_port() -> int:
    """Return a port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    port = free_port()
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")},
        "ADVOCACY_BIND": f"127.0.0.1:{port}",
        **env,
    }
    stdout, stderr = tmp_path / "gunicorn.out", tmp_path / "gunicorn.err"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT_ROOT,
            env=full_env,
            stdout=out,
            stderr=err,
        )
        server = GunicornServer(f"http://127.0.0.1:{port}", stdout, stderr)
        try:
            wait_until_up(server, process)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=20)


def wait_until_up(server: GunicornServer, process: subprocess.Popen) -> None:
    """Poll /healthz until it answers, or fail with gunicorn's output."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in time:\n{server.output()}")
