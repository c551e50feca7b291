"""`make bench-purge`: members reading while a purge deletes a million expired rows, beside
the same reading for as long without a purge (issue 17, item 4).

    .venv/bin/python -m bench.purge_readers      # what `make bench-purge` runs

Steps: the database seeded at BENCH_SCALE (bench/database.py, as `make bench`), copied
twice with BENCH_PURGE_ROWS expired notices added to each (bench/purge_data.py); on the
first copy, the product as deployed (bench/servers.py) and BENCH_PURGE_READERS wrk
connections reading /stories and /events in turn, signed in, and LEAD_SECONDS later
`flask privacy purge` as cron would run it; when it ends, the readers stop. On the second
copy, the same readers for the same time, without a purge. On SQLite, the -wal file's
size is read every WAL_EVERY seconds meanwhile. Prints the slowest read (wrk's largest
latency), p99 and reads per second of both, the purge's time and counts, and the largest
-wal beside the database, against issue 17's goals: slowest read during the purge at most
GOAL_RATIO times the slowest without, and under GOAL_MS; the -wal never over WAL_BOUND
times the database. Writes them into bench/README.md (BENCH_README=0: not).

Exit status: 0, also when a goal is missed (the figures say so); 1 if the purge failed,
rows were left, or a read answered other than 200; 2 for a setting that cannot be used.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from advocacy import bench_seed
from advocacy.config import PROJECT_ROOT
from advocacy.privacy.services import fold_log_at
from bench import database
from bench.load import WRK_SCRIPT, PageProblem, check_page, sign_in_reader, wrk_path
from bench.purge_data import Copies, is_sqlite, make_copies
from bench.run import revision
from bench.servers import CEILING_SECONDS, ServerFailed, start_product
from bench.settings import SettingProblem, Settings
from bench.table import write_readme

PATHS = ("/stories", "/events")
LEAD_SECONDS = 2.0  # readers run alone this long before the purge starts
WAL_EVERY = 0.05  # seconds between two readings of the -wal file's size
GOAL_RATIO = 2.0
GOAL_MS = 250.0
WAL_BOUND = 2.0
README_COMMAND = "make bench-purge"


@dataclass(frozen=True)
class PurgeSettings:
    """BENCH_PURGE_ROWS (default 1,000,000) and BENCH_PURGE_READERS (default 4)."""

    rows: int = 1_000_000
    readers: int = 4

    @classmethod
    def from_environment(cls) -> PurgeSettings:
        values = {}
        for name, low, high in (("rows", 1, 20_000_000), ("readers", 1, 256)):
            raw = os.environ.get(f"BENCH_PURGE_{name.upper()}", "").strip().replace("_", "")
            if not raw:
                continue
            if not raw.isdigit() or not low <= int(raw) <= high:
                raise SettingProblem(
                    f"BENCH_PURGE_{name.upper()}={raw!r}: give a whole number from {low} to "
                    f"{high:,}."
                )
            values[name] = int(raw)
        return cls(**values)


@dataclass(frozen=True)
class Reading:
    """What wrk's readers saw over one phase."""

    requests: int
    seconds: float
    slowest_ms: float
    p99_ms: float
    not_ok: int
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class LogSizes:
    """The largest -wal seen, and the database's size then (bytes)."""

    wal: int = 0
    database: int = 0

    @property
    def times(self) -> float:
        return self.wal / self.database if self.database else 0.0


@dataclass(frozen=True)
class Purged:
    """The purge: how long it took, what it said it deleted, whether it ended well."""

    seconds: float
    counts: dict[str, int]
    ok: bool
    output: str


def start_readers(url: str, cookie: str, readers: int, language: str) -> subprocess.Popen:
    """Start wrk reading PATHS in turn over `readers` connections (until interrupted)."""
    command = [
        wrk_path() or "wrk",
        f"--threads={min(2, readers)}",
        f"--connections={readers}",
        "--duration=86400s",  # stopped with SIGINT when the phase ends
        "--timeout=30s",
        f"--script={WRK_SCRIPT}",
        url + PATHS[0],
    ]
    env = {
        "PATH": "/usr/bin:/bin",
        "BENCH_COOKIE": cookie,
        "BENCH_LANGUAGE": language,
        "BENCH_PATHS": ",".join(PATHS),
    }
    return subprocess.Popen(  # noqa: S603 - wrk, with arguments made here
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def stop_readers(readers: subprocess.Popen) -> Reading:
    """Stop wrk (SIGINT: it prints what it measured) and read its figures."""
    readers.send_signal(signal.SIGINT)
    output, _ = readers.communicate(timeout=CEILING_SECONDS)
    line = next((x for x in output.splitlines() if x.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise PageProblem(f"wrk said nothing measured:\n{output}")
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    return Reading(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        slowest_ms=result["max_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        not_ok=result["not_ok"],
        errors=sum(result[k] for k in ("connect", "read", "write", "timeout")),
    )


def watch_log(url: str, sizes: LogSizes, stop: threading.Event) -> None:
    """Keep the largest -wal size seen (SQLite) until `stop` is set."""
    path = Path(make_url(url).database)
    wal = path.with_name(path.name + "-wal")
    while not stop.wait(WAL_EVERY):
        try:
            size, whole = wal.stat().st_size, path.stat().st_size
        except OSError:  # truncated or not there yet
            continue
        if size > sizes.wal:
            sizes.wal, sizes.database = size, whole


def run_purge(url: str) -> Purged:
    """Run `flask privacy purge` on `url` as cron would (its own process); time it."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")},
        "ADVOCACY_ENV": "development",
        "ADVOCACY_SECRET_KEY": secrets.token_urlsafe(48),
        "ADVOCACY_DATABASE_URL": url,
    }
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", "privacy", "purge"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    counts = {}
    for line in done.stdout.splitlines():
        name, _, said = line.partition(": deleted ")
        if said.strip().isdigit():
            counts[name] = int(said)
    return Purged(seconds, counts, done.returncode == 0, done.stdout + done.stderr)


def phase(url: str, folder: Path, language: str, readers: int, *, purge: bool, seconds: float):
    """Start the product on `url`, sign in, read; with `purge`, purge after LEAD_SECONDS and
    stop reading when it ends, else read `seconds`. Return (Reading, Purged | None, sizes)."""
    server = start_product(url, folder)
    try:
        cookie = sign_in_reader(server, language=language)
        for path in PATHS * 3:  # the first answers compile templates: not measured
            check_page(server, path, language=language, cookie=cookie)
        sizes, stop = LogSizes(), threading.Event()
        watcher = threading.Thread(target=watch_log, args=(url, sizes, stop), daemon=True)
        if purge and is_sqlite(url):
            watcher.start()
        wrk = start_readers(server.url, cookie, readers, language)
        try:
            time.sleep(LEAD_SECONDS)
            purged = run_purge(url) if purge else None
            if not purge:
                time.sleep(seconds - LEAD_SECONDS)
        finally:
            reading = stop_readers(wrk)
            stop.set()
        return reading, purged, sizes
    finally:
        server.stop()


def verdict(met: bool) -> str:
    return "yes" if met else "**no**"


def report(settings: Settings, extra: PurgeSettings, results: dict, load: float) -> str:
    """The figures as bench/README.md keeps them."""
    quiet, purging, purged, sizes = (results[k] for k in ("quiet", "purging", "purged", "sizes"))
    kind = "PostgreSQL" if settings.database_url else "SQLite"
    scale = bench_seed.Sizes.at(settings.scale)
    command = [README_COMMAND, f"BENCH_PURGE_ROWS={extra.rows}"]
    if settings.scale != Settings().scale:
        command.append(f"BENCH_SCALE={settings.scale:g}")
    if settings.database_url:
        command.append(f"BENCH_DATABASE_URL={database.shown(settings.database_url)}")
    ratio = purging.slowest_ms / quiet.slowest_ms if quiet.slowest_ms else float("inf")
    deleted = sum(purged.counts.values())
    lines = [
        f"`{' '.join(command)}`",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {revision()}. {kind}, data at scale "
        f"{settings.scale:g} ({scale.members:,} members, {scale.stories:,} stories, "
        f"{scale.meetings:,} meetings) and {extra.rows:,} expired notices; {extra.readers} "
        f"wrk connections reading {' and '.join(PATHS)} in turn, signed in. The purge "
        f"deleted {deleted:,} rows in {purged.seconds:.1f} s; the same reading ran as long "
        f"on a copy without a purge. {os.cpu_count()} CPUs, load average {load:.1f} at the "
        "start.",
        "",
        "| reading | slowest ms | p99 ms | reads/s | answers not 200 |",
        "|---|--:|--:|--:|--:|",
        *(
            f"| {name} | {r.slowest_ms:.0f} | {r.p99_ms:.1f} | {r.per_second:.0f} | "
            f"{r.not_ok + r.errors} |"
            for name, r in (("without a purge", quiet), ("during the purge", purging))
        ),
        "",
        f"- slowest read during the purge ÷ without: {ratio:.2f} (goal ≤ {GOAL_RATIO:g}: "
        f"{verdict(ratio <= GOAL_RATIO)}); under {GOAL_MS:g} ms: "
        f"{verdict(purging.slowest_ms < GOAL_MS)}",
    ]
    if kind == "SQLite":
        lines.append(
            f"- largest -wal during the purge: {sizes.wal / 2**20:.1f} MB beside a database of "
            f"{sizes.database / 2**20:.1f} MB, {sizes.times:.2f}× (goal ≤ {WAL_BOUND:g}×: "
            f"{verdict(sizes.times <= WAL_BOUND)}); the purge folds it at "
            f"{fold_log_at(sizes.database) / 2**20:.1f} MB (half the database or 64 MB)"
        )
    return "\n".join(lines)


def main() -> int:
    try:
        settings, extra = Settings.from_environment(), PurgeSettings.from_environment()
    except SettingProblem as problem:
        print(problem)
        return 2
    if wrk_path() is None:
        print("wrk is not installed: apt-get install wrk (as root), then run this again.")
        return 1
    load = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="advocacy-bench-purge-"))
    copies: Copies | None = None
    try:
        prepared = database.prepare(settings.scale, settings.database_url)
        print(f"Adding {extra.rows:,} expired notices to two copies…", flush=True)
        copies = make_copies(prepared.url, extra.rows, datetime.now(UTC))
        print("Reading while the purge runs…", flush=True)
        purging, purged, sizes = phase(
            copies.purged, folder, settings.language, extra.readers, purge=True, seconds=0
        )
        if not purged.ok:
            print(f"The purge failed:\n{purged.output}")
            return 1
        print(f"Purged in {purged.seconds:.1f} s; reading as long without a purge…", flush=True)
        quiet, _, _ = phase(
            copies.quiet, folder, settings.language, extra.readers,
            purge=False, seconds=LEAD_SECONDS + purged.seconds,
        )  # fmt: skip
    except (database.Refused, ServerFailed, PageProblem) as problem:
        print(problem)
        return 1
    finally:
        if copies is not None:
            copies.remove()
        shutil.rmtree(folder, ignore_errors=True)
    results = {"quiet": quiet, "purging": purging, "purged": purged, "sizes": sizes}
    text = report(settings, extra, results, load)
    print(text)
    if settings.readme:
        write_readme(make_url(prepared.url).get_backend_name(), text, command=README_COMMAND)
        print("Written into bench/README.md.")
    troubled = quiet.not_ok + quiet.errors + purging.not_ok + purging.errors
    return 1 if troubled or purged.counts.get("notices", 0) < extra.rows else 0


if __name__ == "__main__":
    sys.exit(main())
