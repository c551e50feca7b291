"""`flask seed-bench --scale N`: benchmark data into an empty database (advocacy/bench_seed)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select, text

from advocacy import clock
from advocacy.accounts.models import Account
from advocacy.extensions import db


@click.command("seed-bench")
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True, max=10),
    default=1.0,
    show_default=True,
    help="1: 10,000 members, 100,000 stories, 5,000 meetings, 1,000 programs; 0.1: ten times less",
)
@click.option(
    "--password",
    envvar="ADVOCACY_BENCH_PASSWORD",
    default=None,
    help="everyone's password (default: the one in advocacy/bench_seed, shown at the end)",
)
@click.option(
    "--allow-accounts",
    is_flag=True,
    help="add to a database that already has accounts (a throwaway copy only)",
)
@with_appcontext
def seed_bench_command(scale: float, password: str | None, allow_accounts: bool) -> None:
    """Fill an empty database with benchmark data (bench/README.md)."""
    from advocacy import bench_seed  # only here: nothing of it is loaded for requests

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(
            "Benchmark accounts share a known password, so they are never made in production."
        )
    accounts = db.session.scalar(select(func.count()).select_from(Account))
    if accounts and not allow_accounts:
        raise click.ClickException(
            f"This database already has {accounts:,} account{'s' if accounts > 1 else ''}, so "
            "nothing was added: benchmark data goes into an empty database. Point "
            "ADVOCACY_DATABASE_URL at a new one (or, for a throwaway copy, add --allow-accounts)."
        )
    if bench_seed.reader_id() is not None:
        raise click.ClickException(
            "This database already holds benchmark data, so nothing was added. "
            "Use a new database for another scale."
        )
    started = time.perf_counter()
    sizes = bench_seed.seed(
        scale, now=clock.now(), password=password or bench_seed.DEFAULT_PASSWORD
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Statistics, as autovacuum would soon make them on a live database: without them
        # the planner reads whole tables just after a bulk load. SQLite has none unless
        # the app makes them, and the benchmark measures that too (issue 17).
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    click.echo(
        f"Benchmark data at scale {scale:g}: {sizes.members:,} members, {sizes.stories:,} "
        f"stories, {sizes.meetings:,} meetings, {sizes.programs:,} programs, {sizes.staff} "
        f"staff ({time.perf_counter() - started:.1f} s)."
    )
    shown = "given" if password else f"{bench_seed.DEFAULT_PASSWORD!r}"
    click.echo(f"Sign in as {', '.join(bench_seed.reader_pseudonyms())}; password: {shown}.")
