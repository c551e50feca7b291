"""What `make bench` measures and how, from BENCH_* environment variables.

    BENCH_SCALE        data size for `flask seed-bench` (default 1: 10,000 members…)
    BENCH_ROUNDS       rounds, each page on both servers in turn (default 3)
    BENCH_SECONDS      seconds of load per page, server and round (default 10)
    BENCH_PAGES        some pages only, by name, comma-separated (default all of PAGES)
    BENCH_LANGUAGE     the requests' Accept-Language (default en)
    BENCH_CONNECTIONS  wrk's open connections (default 32)
    BENCH_WRK_THREADS  wrk's threads (default 2)
    BENCH_DATABASE_URL a PostgreSQL database instead of the SQLite file (default unset)
    BENCH_README       0: do not write the table into bench/README.md (default 1)

ADVOCACY_WORKERS, ADVOCACY_THREADS and ADVOCACY_WORKER_CLASS reach both servers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


@dataclass(frozen=True)
class Page:
    """A page the load reads: its address (ids filled in from the seed's targets) and
    whether it is read signed in, as the first reader."""

    address: str
    signed_in: bool

    def path(self, targets: dict[str, int | None]) -> str | None:
        """Return the address with its id, or None when the data has no such page."""
        needed = [name for name in targets if "{" + name + "}" in self.address]
        if any(targets[name] is None for name in needed):
            return None
        return self.address.format(**targets)


# The pages of issue 17, in the order they are read and shown.
PAGES = {
    "home": Page("/", signed_in=False),
    "stories": Page("/stories", signed_in=True),
    "story": Page("/stories/{story}", signed_in=True),
    "events": Page("/events", signed_in=True),
    "meeting": Page("/events/{meeting}", signed_in=True),
    "programs": Page("/programs", signed_in=True),
    "program": Page("/programs/{program}", signed_in=True),
    "notices": Page("/notices", signed_in=True),
    "member-home": Page("/", signed_in=True),
}


class SettingProblem(Exception):
    """A BENCH_* value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """One run's settings; each field is read from BENCH_<FIELD NAME IN CAPITALS>."""

    scale: float = 1.0
    rounds: int = 3
    seconds: int = 10
    pages: tuple[str, ...] = tuple(PAGES)
    language: str = "en"
    connections: int = 32
    wrk_threads: int = 2
    database_url: str | None = None
    readme: bool = True

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Read the settings, or SettingProblem naming the variable that is wrong."""
        values = {}
        for field in fields(cls):
            raw = env.get(f"BENCH_{field.name.upper()}", "").strip()
            if raw:
                values[field.name] = parse(field.name, raw)
        return cls(**values)

    def command(self, target: str = "make bench") -> str:
        """Return the command that makes this run: `target` and what differs."""
        default = Settings()
        words = [target]
        for field in fields(self):
            value = getattr(self, field.name)
            if value != getattr(default, field.name):
                words.append(f"BENCH_{field.name.upper()}={shown(field.name, value)}")
        for name in ("ADVOCACY_WORKERS", "ADVOCACY_THREADS", "ADVOCACY_WORKER_CLASS"):
            if os.environ.get(name):
                words.append(f"{name}={os.environ[name]}")
        return " ".join(words)


def shown(name: str, value: object) -> str:
    """Return a setting as it is written on a command line (no password in a URL)."""
    if name == "pages":
        return ",".join(value)
    if name == "database_url":
        return make_url(value).render_as_string(hide_password=True)
    if name == "readme":
        return "1" if value else "0"
    return f"{value:g}" if isinstance(value, float) else str(value)


LIMITS = {"rounds": (1, 100), "seconds": (1, 3600), "connections": (1, 10_000)}


def parse(name: str, raw: str) -> object:
    """Return one setting's value from its text, or SettingProblem."""
    variable = f"BENCH_{name.upper()}"
    try:
        if name == "scale":
            value = float(raw)
            if not 0 < value <= 10:
                raise ValueError
            return value
        if name in ("rounds", "seconds", "connections", "wrk_threads"):
            low, high = LIMITS.get(name, (1, 64))
            number = int(raw)
            if not low <= number <= high:
                raise ValueError
            return number
    except ValueError:
        raise SettingProblem(f"{variable}={raw!r} is not a number the benchmark can use.") from None
    if name == "pages":
        chosen = tuple(part.strip() for part in raw.split(",") if part.strip())
        unknown = [page for page in chosen if page not in PAGES]
        if unknown or not chosen:
            raise SettingProblem(
                f"{variable}: no page named {', '.join(unknown) or '(none)'}; "
                f"choose from {', '.join(PAGES)}."
            )
        return chosen
    if name == "readme":
        return raw not in ("0", "no", "false")
    if name == "database_url":
        try:
            backend = make_url(raw).get_backend_name()
        except ArgumentError:
            backend = None
        if backend != "postgresql":
            raise SettingProblem(
                f"{variable} takes a PostgreSQL URL (postgresql+psycopg://user@host/bench_…); "
                "SQLite is the default already."
            )
    return raw
