"""A Redis server a test owns: its own redis-server process on a spare port of 127.0.0.1,
keeping nothing on disk, in a throwaway directory. It can be stopped and started again on
the same port; every wait polls with the one ceiling."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from tests.support.ceiling import CEILING_SECONDS

# A spare port found by binding to port 0 can be taken by someone else before redis-server
# binds it: the first start tries a few.
FIRST_START_TRIES = 5


def client_of(port: int, timeout: float = CEILING_SECONDS) -> redis.Redis:
    """A client that fails at once when nothing answers: redis-py's own default retries a
    refused connection three times with pauses of seconds."""
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=timeout, retry=None)


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One redis-server process at a time, on one port, in directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def client(self) -> redis.Redis:
        return client_of(self.port)

    def output(self) -> str:
        logs = sorted(self.directory.glob("redis-*.log"))
        return "".join(log.read_text(errors="replace") for log in logs)

    def start(self) -> None:
        """Start on a spare port the first time, on the same port after that."""
        for _ in range(FIRST_START_TRIES if not self.port else 1):
            port = self.port or spare_port()
            if self.start_on(port):
                self.port = port
                return
        raise RuntimeError(f"redis-server did not start:\n{self.output()}")

    def start_on(self, port: int) -> bool:
        """Start redis-server on port; poll until it answers (True) or exits (False).

        Only our own process counts as an answer: whatever else may have taken the port
        since it was found spare is asked again after a second (a Redis says its process
        id), until our process has exited for want of the port."""
        self.starts += 1
        log = self.directory / f"redis-{self.starts}.log"
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
                + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        probe = client_of(port, timeout=1)
        deadline = time.monotonic() + CEILING_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # it could not listen there
            try:
                if probe.info("server")["process_id"] == self.process.pid:
                    return True
            except (redis.ConnectionError, redis.TimeoutError):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer in time:\n{self.output()}")

    def stop(self) -> None:
        """Stop the server (SIGTERM: it saves nothing, having no save points) and wait
        until the process has gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=CEILING_SECONDS)


@contextmanager
def own_redis(directory: Path) -> Iterator[RedisServer]:
    """A started RedisServer in directory, gone afterwards whatever happened."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
    directory.mkdir(parents=True, exist_ok=True)
    server = RedisServer(directory)
    try:
        server.start()
        yield server
    finally:
        server.stop()
