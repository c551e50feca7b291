"""What `make bench` and `make bench-scales` share: their settings check, the servers'
lifecycle (started, then stopped whatever happens), and rounds of load with the servers
in turn.

Each round reads each page on every server, one after another, and the order of the
servers is reversed every other round, so neither always runs first (on a warmer or a
busier machine). Every run prints one line as it ends.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bench.load import Measured, PageProblem, run_wrk, wrk_path
from bench.servers import Server, ServerFailed
from bench.settings import SettingProblem, Settings

NO_WRK = (
    "wrk is not installed, and the benchmark needs it to send the load. On Debian: "
    "apt-get install wrk (as root), then run make bench again."
)
T = TypeVar("T")

# (page name, server name) -> that page's runs on that server, one per round.
Runs = dict[tuple[str, str], list[Measured]]


@dataclass(frozen=True)
class Target:
    """A server under load and the address each page has on it (page name -> path)."""

    server: Server
    paths: Mapping[str, str]


def alternate(
    settings: Settings,
    names: Sequence[str],
    targets: Sequence[Target],
    cookies: Callable[[str], Mapping[str, str]],
) -> Runs:
    """Load each page (by name) on every target for `settings.seconds`, round after round
    (`settings.rounds`), the targets' order reversed every other round. `cookies(name)` is
    called once per page and round, before its runs, and gives each server's Cookie header
    by server name ("" for none)."""
    runs: Runs = {}
    for round_number in range(settings.rounds):
        order = list(targets) if round_number % 2 == 0 else list(reversed(targets))
        for name in names:
            cookie = cookies(name)
            for target in order:
                server = target.server
                measured = run_wrk(
                    server,
                    target.paths[name],
                    seconds=settings.seconds,
                    connections=settings.connections,
                    threads=settings.wrk_threads,
                    language=settings.language,
                    cookie=cookie[server.name],
                )
                runs.setdefault((name, server.name), []).append(measured)
                trouble = f"  {measured.not_ok} answers not 200!" if measured.not_ok else ""
                print(
                    f"round {round_number + 1}/{settings.rounds}  {name:<11} {server.name:<9}"
                    f" {measured.per_second:8.1f} req/s  p99 {measured.p99_ms:8.1f} ms"
                    f"  CPU {measured.cpu_ms:6.2f} ms/req{trouble}",
                    flush=True,
                )
    return runs


def settings_or_status() -> Settings | int:
    """The run's settings from BENCH_* (bench/settings.py), or, said in one sentence, the
    exit status when it cannot run: 2 for a setting that cannot be used, 1 without wrk."""
    try:
        settings = Settings.from_environment()
    except SettingProblem as problem:
        print(problem)
        return 2
    if wrk_path() is None:
        print(NO_WRK)
        return 1
    return settings


def with_servers(
    starters: Sequence[Callable[[Path], Server]], work: Callable[[list[Server]], T]
) -> T | int:
    """Start each server (a starter is given a folder for the servers' logs), do `work`
    with them, then stop them all and remove the folder, whatever happened. Returns what
    `work` returns, or an exit status: 1 when a server failed or a page could not be
    measured (said, with the servers' last words), 130 when stopped with Ctrl+C."""
    folder = Path(tempfile.mkdtemp(prefix="advocacy-bench-"))
    servers: list[Server] = []
    try:
        for start in starters:
            servers.append(start(folder))
        return work(servers)
    except (ServerFailed, PageProblem) as problem:
        print(problem)
        for server in servers:  # the servers' last words, when they said anything
            if said := server.log().strip():
                print(f"--- {server.name} said:\n" + "\n".join(said.splitlines()[-30:]))
        return 1
    except KeyboardInterrupt:
        print("Stopped; bench/README.md is as it was.")
        return 130
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
