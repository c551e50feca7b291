"""`make bench-scales`: the product on data of two sizes, side by side (issue 17: at 10×
less data the same pages cost within 10 % of the large-data CPU per request, same run).

    .venv/bin/python -m bench.scales     # what `make bench-scales` runs; settings as make bench

Two products as deployed, one on the database seeded at BENCH_SCALE and one on a database
seeded at a tenth of it (made and seeded as `make bench` makes its own: SQLite
`instance/bench-scale-<N>.sqlite3`; with BENCH_DATABASE_URL, the database of that name and
one named `<name>_tenth`). Each signed-in page is read as the first reader, whose page
(their story, meeting, program) each database names. Round after round, each page on one
product and then the other (bench/rounds.py). Prints worker CPU per request at each size,
large ÷ small, and whether they are within 10 % of each other, with req/s beside; writes
the table into bench/README.md. Exit status 0; 1 if anything could not be measured or a
page answered other than 200 under load; 2 for a setting that cannot be used.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from functools import partial

from sqlalchemy.engine import make_url

from advocacy import bench_seed
from bench import database
from bench.load import check_page, sign_in_reader
from bench.rounds import Runs, Target, alternate, settings_or_status, with_servers
from bench.run import gunicorn_settings, resolve, revision
from bench.servers import Server, start_product
from bench.settings import PAGES, Settings
from bench.table import cpu_ms, figure, rate, troubled, write_readme

TIMES_LESS = 10
WITHIN = 0.10  # issue 17: the small-data CPU per request within 10 % of the large-data's
COMMAND = "make bench-scales"
# Below this much load per page and size (3 rounds × 10 s by default), a shared machine's
# noise is as large as the 10 % the verdict reads: the run says so under its table.
DECIDING_SECONDS = 30
SHORT_RUN = (
    f"A short run: on a machine doing anything else, noise can pass 10 %; the verdict needs "
    f"at least {DECIDING_SECONDS} s of load per page and size (the default 3 rounds × 10 s)."
)


NAME_MAX = 63  # PostgreSQL cuts longer database names short (NAMEDATALEN - 1 bytes)


def tenth_url(url: str | None) -> str | None:
    """The database for a tenth of the data: SQLite's file per scale (None), or the
    PostgreSQL database `<name>_tenth` beside the one named; database.Refused when that
    name would be too long for PostgreSQL to keep whole."""
    if url is None:
        return None
    given = make_url(url)
    name = f"{given.database}_tenth"
    if len(name.encode()) > NAME_MAX:
        raise database.Refused(
            f"{name!r} (for a tenth of the data) is longer than PostgreSQL's {NAME_MAX} "
            "bytes: give BENCH_DATABASE_URL a shorter database name."
        )
    return given.set(database=name).render_as_string(hide_password=False)


def within(large: float, small: float) -> bool:
    """Whether `small` is within WITHIN (10 %) of `large`, either way."""
    return abs(small - large) <= WITHIN * large


def table(names: list[str], runs: Runs, sizes: tuple[str, str]) -> str:
    """The Markdown table: per page, CPU ms/req at each size (server names), large ÷ small,
    within 10 %, and req/s at each size."""
    large, small = sizes
    lines = [
        f"| page | address | as | CPU ms/req {large} | {small} | × | within 10 % "
        f"| req/s {large} | {small} |",
        "|---|---|---|--:|--:|--:|:-:|--:|--:|",
    ]
    for name in names:
        at_large, at_small = runs[(name, large)], runs[(name, small)]
        cpu = cpu_ms(at_large), cpu_ms(at_small)
        mark = " !" if troubled(at_large + at_small) else ""
        lines.append(
            f"| {name}{mark} | `{PAGES[name].address}` "
            f"| {'member' if PAGES[name].signed_in else 'visitor'} "
            f"| {figure(cpu[0])} | {figure(cpu[1])} | {cpu[0] / cpu[1]:.2f} "
            f"| {'yes' if within(*cpu) else 'no'} "
            f"| {figure(rate(at_large))} | {figure(rate(at_small))} |"
        )
    lines += [
        "",
        f"× is CPU per request {large} over CPU per request {small} (the gunicorn "
        "workers' user + system time over all rounds ÷ requests); req/s: medians of the "
        "rounds.",
    ]
    return "\n".join(lines)


def report(settings: Settings, text: str, load: float) -> str:
    """The table with what made it: command, data, load, machine."""
    kind = "PostgreSQL" if settings.database_url else "SQLite"
    large = bench_seed.Sizes.at(settings.scale)
    return "\n".join(
        [
            f"`{settings.command(COMMAND)}`",
            "",
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {revision()}. {kind} at scale "
            f"{settings.scale:g} ({large.stories:,} stories, {large.meetings:,} meetings) and "
            f"{settings.scale / TIMES_LESS:g} (ten times less). Language {settings.language}. "
            f"{settings.rounds} × {settings.seconds} s per page and size, wrk "
            f"{settings.wrk_threads} threads × {settings.connections} connections; gunicorn "
            f"{gunicorn_settings()} for both. {os.cpu_count()} CPUs, load average {load:.1f} "
            "at the start.",
            "",
            text,
            *([SHORT_RUN] if settings.rounds * settings.seconds < DECIDING_SECONDS else []),
        ]
    )


def measure(
    settings: Settings, servers: tuple[Server, Server], paths: list[dict[str, str]]
) -> tuple[list[str], Runs]:
    """Check every page both databases have (`paths`: page name -> address, per server) on
    both products, then load them in turn, round after round; return the pages and runs."""
    language = settings.language

    def cookies(name: str) -> dict[str, str]:
        signed_in = PAGES[name].signed_in
        return {
            server.name: sign_in_reader(server, language=language) if signed_in else ""
            for server in servers
        }

    names = [name for name in settings.pages if all(name in found for found in paths)]
    for name in names:
        cookie = cookies(name)
        for server, found in zip(servers, paths, strict=True):
            for _ in range(3):  # the first answers compile templates: not measured
                check_page(server, found[name], language=language, cookie=cookie[server.name])
    targets = [Target(server, found) for server, found in zip(servers, paths, strict=True)]
    return names, alternate(settings, names, targets, cookies)


def main() -> int:
    settings = settings_or_status()
    if isinstance(settings, int):
        return settings
    load = os.getloadavg()[0]
    small = settings.scale / TIMES_LESS
    try:
        prepared = (
            database.prepare(settings.scale, settings.database_url),
            database.prepare(small, tenth_url(settings.database_url)),
        )
    except database.Refused as refused:
        print(refused)
        return 1
    paths = [dict(resolve(settings, found.targets)) for found in prepared]
    names = (f"at {settings.scale:g}", f"at {small:g}")
    starters = [
        partial(start_product, found.url, name=name)
        for name, found in zip(names, prepared, strict=True)
    ]
    done = with_servers(starters, lambda servers: measure(settings, (*servers,), paths))
    if isinstance(done, int):
        return done
    measured, runs = done
    text = report(settings, table(measured, runs, names), load)
    print(text)
    if settings.readme:
        kind = make_url(prepared[0].url).get_backend_name()
        write_readme(kind, text, command=COMMAND)
        print(f"Written into bench/README.md (the {kind} table of {COMMAND}).")
    return 1 if any(troubled(measured) for measured in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
