"""Rounds of load with servers in turn, what `make bench` and `make bench-scales` share.

Each round reads each page on every server, one after another, and the order of the
servers is reversed every other round, so neither always runs first (on a warmer or a
busier machine). Every run prints one line as it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bench.load import Measured, run_wrk
from bench.servers import Server
from bench.settings import Settings

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
