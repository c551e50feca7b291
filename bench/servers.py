"""The two servers `make bench` compares, under the same gunicorn settings, and the CPU
time their workers spend.

The product runs as it is deployed: `gunicorn -c gunicorn.conf.py wsgi:app` with
production settings. The baseline runs `bench/baseline/wsgi.py` with
`bench/baseline/gunicorn.conf.py`, which reads the product's gunicorn.conf.py, so
ADVOCACY_WORKERS, ADVOCACY_THREADS and ADVOCACY_WORKER_CLASS set both alike. Each
listens on a socket bound here and handed over (no port is probed and then lost).
Readiness is polled with one generous ceiling, never a fixed sleep.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from advocacy.config import PROJECT_ROOT

CEILING_SECONDS = 300  # a loaded machine starts slowly; only a hang reaches this
SHARED = ("ADVOCACY_WORKERS", "ADVOCACY_THREADS", "ADVOCACY_WORKER_CLASS")
TICKS = os.sysconf("SC_CLK_TCK")


class ServerFailed(Exception):
    """A server did not start or stopped; the message holds its output."""


@dataclass
class Server:
    """A gunicorn master we started, its address and its output files."""

    name: str
    process: subprocess.Popen
    url: str
    output: Path
    ready_path: str
    listener: socket.socket = field(repr=False)
    is_product: bool = False  # the product (signs in, says whether signed in), not the baseline

    def log(self) -> str:
        """Return what gunicorn and the app printed."""
        return self.output.read_text(errors="replace")

    def workers(self) -> list[int]:
        """Return the pids of this master's workers (its child processes)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:  # gone meanwhile
                    continue
                if int(fields[1]) == self.process.pid:
                    found.append(int(entry.name))
        return sorted(found)

    def stop(self) -> None:
        """Stop gunicorn (and so its workers) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=CEILING_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.listener.close()


def cpu_seconds(pids: list[int]) -> float:
    """Return the user + system CPU seconds the processes (all their threads) have used,
    from /proc/<pid>/stat (clock ticks); a process gone counts nothing."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker gone (restarted): the run says workers changed
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (stat fields 14, 15)
    return total / TICKS


def workers_wanted() -> int:
    """Return how many workers each server runs (gunicorn.conf.py: ADVOCACY_WORKERS)."""
    return int(os.environ.get("ADVOCACY_WORKERS", "1"))


def start(
    name: str, config: str, app: str, env: dict[str, str], folder: Path, ready: str, *,
    is_product: bool = False,
):  # fmt: skip
    """Start gunicorn with `config` serving `app`; return the Server once it is ready."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.set_inheritable(True)
    port = listener.getsockname()[1]
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")},
        **{k: os.environ[k] for k in SHARED if k in os.environ},
        "ADVOCACY_BIND": f"fd://{listener.fileno()}",
        **env,
    }
    output = folder / f"{name}.log"
    with open(output, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
            [sys.executable, "-m", "gunicorn", "-c", config, app],
            cwd=PROJECT_ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),),
        )
    server = Server(name, process, f"http://127.0.0.1:{port}", output, ready, listener, is_product)
    try:
        wait_until_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_ready(server: Server) -> None:
    """Poll until the server answers 200 and all its workers have booted."""
    deadline = time.monotonic() + CEILING_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerFailed(f"{server.name} stopped while starting:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + server.ready_path, timeout=30) as answer:  # noqa: S310
                if answer.status == 200 and len(server.workers()) >= workers_wanted():
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise ServerFailed(f"{server.name} did not answer within {CEILING_SECONDS} s:\n{server.log()}")


def start_product(url: str, folder: Path, name: str = "product") -> Server:
    """Start the product on `url` as in production (a fresh secret key each run), named
    `name` in what is printed and in its log's file name."""
    env = {
        "ADVOCACY_ENV": "production",
        "ADVOCACY_SECRET_KEY": secrets.token_urlsafe(48),
        # Production refuses to start without its public address; nothing is sent there.
        "ADVOCACY_BASE_URL": "https://bench.invalid",
        "ADVOCACY_DATABASE_URL": url,
    }
    return start(name, "gunicorn.conf.py", "wsgi:app", env, folder, "/healthz", is_product=True)


def start_baseline(url: str, folder: Path) -> Server:
    """Start the baseline on the same database with the same gunicorn settings."""
    env = {"BENCH_BASELINE_DATABASE_URL": url}
    return start(
        "baseline", "bench/baseline/gunicorn.conf.py", "bench.baseline.wsgi:app", env, folder, "/"
    )
