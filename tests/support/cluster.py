"""A throwaway PostgreSQL cluster a test owns: its own data directory, a spare port.

The server refuses to run as root, so when the tests run as root it runs as the
`postgres` user (through runuser); otherwise as the user running the tests. Every wait
polls under CEILING_SECONDS, never a fixed sleep.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.ceiling import CEILING_SECONDS

SERVER_USER = "postgres"
TOOLS = ("initdb", "pg_ctl", "pg_isready")
PORT_ATTEMPTS = 5


def version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.parent.name.split(".") if part.isdigit())


def server_binaries() -> Path | None:
    """The bin directory of the newest installed PostgreSQL that has every tool, or None."""
    found = [
        path
        for path in Path("/usr/lib/postgresql").glob("*/bin")
        if all((path / tool).is_file() for tool in TOOLS)
    ]
    return max(found, key=version_key, default=None)


def why_not_available() -> str | None:
    """One sentence saying why a cluster cannot be run here, or None when it can."""
    if server_binaries() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return "running as root and there is no `postgres` user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and there is no runuser to run the server as `postgres`"
    return None


def spare_port() -> int:
    """A port nothing listens on just now (the server may still lose it to a race)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """initdb, start, stop and readiness of one private cluster."""

    def __init__(self) -> None:
        self.bin = server_binaries()
        self.as_root = os.geteuid() == 0
        # Directly under the temporary directory: pytest's own is root-only (0700), and a
        # socket path must stay short.
        self.home = Path(tempfile.mkdtemp(prefix="advocacy-pg-"))
        if self.as_root:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(self.home, user.pw_uid, user.pw_gid)
        self.data = self.home / "data"
        self.log = self.home / "server.log"
        self.port = 0

    def run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        result = subprocess.run(  # noqa: S603 - fixed tools, arguments made here
            command,
            capture_output=True,
            text=True,
            timeout=CEILING_SECONDS,
            check=False,
            cwd=self.home,  # the server user may not enter the caller's directory
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{tool} failed:\n{result.stdout}{result.stderr}{self.server_log()}")
        return result

    def server_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def create(self) -> None:
        """initdb, then start on a spare port (another, should one be taken meanwhile)."""
        self.run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", SERVER_USER,
            "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
        )  # fmt: skip
        for _ in range(PORT_ATTEMPTS):
            self.port = spare_port()
            logged = len(self.server_log())
            if self.start(check=False).returncode == 0:
                return
            if "already in use" not in self.server_log()[logged:]:
                break
        raise RuntimeError(f"the test cluster did not start:\n{self.server_log()}")

    def start(self, check: bool = True) -> subprocess.CompletedProcess:
        """Start on self.port and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        result = self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", str(CEILING_SECONDS), "start", check=check,
        )  # fmt: skip
        if result.returncode == 0:
            self.wait_until_ready()
        return result

    def stop(self, mode: str = "fast") -> None:
        """Stop the server and wait until it is gone (fast: clients are disconnected)."""
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def ready(self) -> bool:
        args = ("-q", "-h", "127.0.0.1", "-p", str(self.port), "-t", "1")
        return self.run("pg_isready", *args, check=False).returncode == 0

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + CEILING_SECONDS
        while not self.ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test cluster never answered:\n{self.server_log()}")
            time.sleep(0.05)

    def remove(self) -> None:
        """Stop at once if still running, and delete everything."""
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.home, ignore_errors=True)
