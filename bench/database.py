"""The benchmark's database: made, migrated and seeded once per scale, reused after.

SQLite by default, one file per scale in the instance folder (`make clean` removes it);
BENCH_DATABASE_URL names a PostgreSQL database instead (created when missing). A
database already seeded at the asked scale is reused as it is; an empty one is seeded
with `flask seed-bench`; a SQLite file of ours that holds anything else (a seed cut
short) is made again; any other database is left alone, and the run stops saying why.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from advocacy import bench_seed, clock, create_app
from advocacy.config import INSTANCE_DIR, PROJECT_ROOT, Config
from advocacy.extensions import db

DATABASE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
# What a BENCH_DATABASE_URL may say after "?": how to connect, never which database
# (libpq's dbname and service, or a driver's database, would override the name checked).
QUERY_ALLOWED = frozenset({"sslmode", "sslrootcert", "connect_timeout", "application_name"})


class Refused(Exception):
    """The database cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Prepared:
    """A seeded database: its URL, the ids of the pages read, the languages offered."""

    url: str
    targets: dict[str, int | None]
    languages: list[str]
    reused: bool


class HarnessConfig(Config):
    """The app's settings, only to count rows and find the pages (never served)."""

    ENV_NAME = "bench"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = url
        self.SECRET_KEY = secrets.token_urlsafe(48)


def sqlite_file(scale: float) -> Path:
    """Return the SQLite file for a scale: instance/bench-scale-<scale>.sqlite3."""
    return INSTANCE_DIR / f"bench-scale-{scale:g}.sqlite3"


def shown(url: str) -> str:
    """Return the URL as it may be printed and written down: no password."""
    return make_url(url).render_as_string(hide_password=True)


def flask(*arguments: str, url: str, quiet: bool = False) -> None:
    """Run a flask command of the project on `url` (development settings), or Refused;
    `quiet`: show its output only if it fails."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")},
        "ADVOCACY_ENV": "development",
        "ADVOCACY_SECRET_KEY": secrets.token_urlsafe(48),
        "ADVOCACY_DATABASE_URL": url,
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *arguments]
    done = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        command, cwd=PROJECT_ROOT, env=env, check=False, capture_output=quiet, text=True
    )
    if done.returncode != 0:
        said = f"{done.stdout}{done.stderr}" if quiet else "(see above)"
        raise Refused(f"`flask {' '.join(arguments)}` stopped (exit {done.returncode}): {said}")


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database the URL names, if it does not exist yet."""
    parsed = make_url(url)
    name = parsed.database or ""
    if not DATABASE_NAME.match(name):
        raise Refused(f"Use a database name of letters, digits and _ only (not {name!r}).")
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if found is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def refuse_unless_named_for_the_benchmark(url: str) -> None:
    """Refused unless the URL names a database whose name starts with "bench" and says
    nothing after "?" that could connect to another one (QUERY_ALLOWED)."""
    parsed = make_url(url)
    if not Path(parsed.database or "").name.startswith("bench"):
        raise Refused(
            f"{shown(url)} is not a benchmark database: give one whose name starts with "
            "'bench' (e.g. bench_advocacy). Nothing was touched."
        )
    others = sorted(set(parsed.query) - QUERY_ALLOWED)
    if others:
        raise Refused(
            f"{shown(url)} says {', '.join(others)} after '?', which could reach another "
            f"database: only {', '.join(sorted(QUERY_ALLOWED))} may follow. Nothing was touched."
        )


def refuse_unless_connected_to(url: str) -> None:
    """Refused unless a PostgreSQL connection made with the URL reaches the database it
    names (checked before any migration or seed writes there)."""
    name = make_url(url).database
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            reached = connection.execute(text("SELECT current_database()")).scalar_one()
    finally:
        engine.dispose()
    if reached != name:
        raise Refused(f"{shown(url)} reached the database {reached!r}, not {name!r}: refused.")


def look(url: str) -> tuple[int, dict[str, int]]:
    """Return (accounts, benchmark counts) of the database."""
    app = create_app(HarnessConfig(url))
    with app.app_context():
        accounts = db.session.scalar(text("SELECT count(*) FROM accounts"))
        found = bench_seed.counts()
        db.engine.dispose()
    return accounts, found


def expected(scale: float) -> dict[str, int]:
    """Return the counts a database seeded at `scale` holds."""
    sizes = bench_seed.Sizes.at(scale)
    return {
        "members": sizes.members,
        "stories": sizes.stories,
        "meetings": sizes.meetings,
        "programs": sizes.programs,
    }


def said(counts: dict[str, int]) -> str:
    """Say counts in words: "100 members, 1,000 stories, …"."""
    return ", ".join(f"{number:,} {name}" for name, number in counts.items())


def remove_sqlite(path: Path) -> None:
    """Delete a SQLite file of ours with its -wal and -shm."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare(scale: float, database_url: str | None) -> Prepared:
    """Return a database seeded at `scale`, made and seeded here when needed, or Refused.

    A database given (BENCH_DATABASE_URL) must be named for the benchmark (bench…), before
    anything touches it: the seed writes accounts with a known password, and a new
    site's database would pass the "no accounts yet" check.
    """
    ours = database_url is None
    url = database_url or f"sqlite:///{sqlite_file(scale)}"
    if not ours:
        refuse_unless_named_for_the_benchmark(url)
    if make_url(url).get_backend_name() == "postgresql":
        ensure_postgres_database(url)
        refuse_unless_connected_to(url)
    elif ours:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    flask("db", "upgrade", url=url, quiet=True)
    accounts, found = look(url)
    reused = found == expected(scale)
    if not reused and accounts and ours:
        print(f"{shown(url)} holds something else than scale {scale:g}: making it again.")
        remove_sqlite(sqlite_file(scale))
        flask("db", "upgrade", url=url, quiet=True)
        accounts = 0
    if not reused and accounts:
        raise Refused(
            f"{shown(url)} holds {said(found)} ({accounts:,} accounts in all), not the "
            f"benchmark data of scale {scale:g} ({said(expected(scale))}), so it was left as "
            "it is. Point BENCH_DATABASE_URL at a new database (e.g. one named bench_…), "
            "which the benchmark creates and seeds."
        )
    if reused:
        print(f"Reusing {shown(url)}, seeded at scale {scale:g}.")
    else:
        flask("seed-bench", "--scale", f"{scale:g}", url=url)
    app = create_app(HarnessConfig(url))
    with app.app_context():
        targets = bench_seed.targets(clock.now())
        languages = list(app.config["SUPPORTED_LOCALES"])
        db.engine.dispose()
    return Prepared(url, targets, languages, reused)
