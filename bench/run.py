"""`make bench`: every page of issue 17 on the product and on a bare-Flask baseline, side
by side, on one seeded database (bench/README.md).

    .venv/bin/python -m bench.run        # what `make bench` runs; settings: bench/settings.py

Steps: make or reuse the database seeded at BENCH_SCALE (bench/database.py); start the
product and the baseline with the same gunicorn settings (bench/servers.py); sign in once
through /login and check every page answers 200, signed in or out as it should; then, for
each round, each page on one server and then the other (the order swapped every round),
BENCH_SECONDS of wrk each, a fresh sign-in before each signed-in page (the session's idle
limit is 30 minutes). Prints req/s, p99 and worker CPU per request for both and their
ratios (bench/table.py), and writes the table into bench/README.md with the command that
made it. Exit status: 0; 1 if anything could not be measured or a page answered other
than 200 under load; 2 for a setting that cannot be used.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from functools import partial

from sqlalchemy.engine import make_url

from advocacy import bench_seed
from advocacy.config import PROJECT_ROOT
from bench import database
from bench.load import check_page, sign_in_reader
from bench.rounds import Target, alternate, settings_or_status, with_servers
from bench.servers import Server, start_baseline, start_product
from bench.settings import PAGES, Settings
from bench.table import Row, markdown, write_readme


def measure(
    settings: Settings, pages: list[tuple[str, str]], product: Server, baseline: Server
) -> list[Row]:
    """Check every page, then load each on both servers, round after round."""
    language = settings.language

    def cookie_for(name: str) -> str:
        """A fresh signed-in session for a signed-in page; none for a visitor's."""
        return sign_in_reader(product, language=language) if PAGES[name].signed_in else ""

    sizes = {}
    for name, path in pages:
        cookie = cookie_for(name)
        for _ in range(3):  # the first answers compile templates: not measured
            size = check_page(product, path, language=language, cookie=cookie)
        sizes[name] = (size, check_page(baseline, "/", language=language, cookie=cookie))
    targets = [Target(product, dict(pages)), Target(baseline, {name: "/" for name, _ in pages})]

    def both(name: str) -> dict[str, str]:
        """The same Cookie header to both servers: the same request, byte for byte."""
        cookie = cookie_for(name)
        return {product.name: cookie, baseline.name: cookie}

    runs = alternate(settings, [name for name, _ in pages], targets, both)
    return [
        Row(
            name,
            path,
            PAGES[name].signed_in,
            runs[(name, "product")],
            runs[(name, "baseline")],
            sizes[name],
        )
        for name, path in pages
    ]


def gunicorn_settings() -> str:
    """Say the gunicorn settings both servers ran with (as gunicorn.conf.py reads them)."""
    config = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    return f"{config['workers']} worker × {config['threads']} threads ({config['worker_class']})"


def revision() -> str:
    """Return the commit measured, and whether the work tree differed from it."""
    git = shutil.which("git")
    if git is None:
        return "commit unknown"

    def ask(*arguments: str) -> str:
        done = subprocess.run(  # noqa: S603 - git, with arguments made here
            [git, "-C", str(PROJECT_ROOT), *arguments], capture_output=True, text=True
        )
        return done.stdout.strip()

    # The table this run writes is not a change to what it measured.
    changed = ask("status", "--porcelain", "--", ".", ":(exclude)bench/README.md")
    changed = " with uncommitted changes" if changed else ""
    return f"commit {ask('rev-parse', '--short', 'HEAD') or 'unknown'}{changed}"


def report(settings: Settings, prepared: database.Prepared, rows: list[Row], load: float) -> str:
    """Return the table with what made it: command, data, load, machine."""
    sizes = bench_seed.Sizes.at(settings.scale)
    kind = "PostgreSQL" if settings.database_url else "SQLite"
    offered = ", ".join(prepared.languages)
    rounds = f"{settings.rounds} round{'s' if settings.rounds > 1 else ''}"
    lines = [
        f"`{settings.command()}`",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {revision()}. {kind} at scale "
        f"{settings.scale:g}: {sizes.members:,} members, {sizes.stories:,} stories, "
        f"{sizes.meetings:,} meetings, {sizes.programs:,} programs. Language "
        f"{settings.language} (the site offers {offered}). {rounds} × {settings.seconds} s "
        f"per page and server, wrk {settings.wrk_threads} threads × {settings.connections} "
        f"connections; gunicorn {gunicorn_settings()} for both. {os.cpu_count()} CPUs, "
        f"load average {load:.1f} at the start.",
        "",
        markdown(rows),
    ]
    if any(row.troubled for row in rows):
        lines += ["", "! some answers were not 200, or a worker restarted: not a fair figure."]
    return "\n".join(lines)


def resolve(settings: Settings, targets: dict[str, int | None]) -> list[tuple[str, str]]:
    """Return (name, path) of the pages to read; say which the data is too small to have."""
    pages = []
    for name in settings.pages:
        path = PAGES[name].path(targets)
        if path is None:
            print(f"Left out {name}: at scale {settings.scale:g} the data has no such page.")
        else:
            pages.append((name, path))
    return pages


def main() -> int:
    settings = settings_or_status()
    if isinstance(settings, int):
        return settings
    load = os.getloadavg()[0]
    try:
        prepared = database.prepare(settings.scale, settings.database_url)
    except database.Refused as refused:
        print(refused)
        return 1
    if settings.language.split("-")[0].lower() not in prepared.languages:
        print(f"The site offers {', '.join(prepared.languages)}: pages come in English.")
    pages = resolve(settings, prepared.targets)
    seconds = settings.rounds * len(pages) * 2 * settings.seconds
    length = f"{seconds / 60:.0f} minutes" if seconds >= 120 else f"{seconds} seconds"
    print(f"Measuring {len(pages)} pages, about {length} of load.", flush=True)
    rows = with_servers(
        [partial(start_product, prepared.url), partial(start_baseline, prepared.url)],
        lambda servers: measure(settings, pages, *servers),
    )
    if isinstance(rows, int):
        return rows
    text = report(settings, prepared, rows, load)
    print(text)
    if settings.readme:
        kind = make_url(prepared.url).get_backend_name()
        write_readme(kind, text)
        print(f"Written into bench/README.md (the {kind} table).")
    return 1 if any(row.troubled for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
