"""Flask commands: create-admin, invite create, seed-demo, privacy purge and backup, report
export (advocacy/reports/cli.py) and seed-bench (advocacy/bench_seed/command.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from advocacy import clock, demo
from advocacy.accounts import invites, joining
from advocacy.accounts.errors import AccountError, JoinRefused
from advocacy.accounts.models import Role
from advocacy.accounts.policy import suggest_passphrase
from advocacy.bench_seed.command import seed_bench_command
from advocacy.extensions import db
from advocacy.i18n import in_command_language
from advocacy.privacy import services as privacy
from advocacy.reports.cli import report_cli

invite_cli = AppGroup("invite", help="Invite codes.")
privacy_cli = AppGroup("privacy", help="Retention: purge expired records, back up.")
DURATION = re.compile(r"^(\d+)([hd])$")


def parse_duration(text: str) -> timedelta:
    """Parse '14d' or '12h'."""
    match = DURATION.match(text.strip())
    if not match:
        raise click.BadParameter(_("use a number of days or hours, like 14d or 12h"))
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(days=amount) if unit == "d" else timedelta(hours=amount)


@click.command("create-admin")
@click.option("--pseudonym", default="admin-1", show_default=True)
@with_appcontext
@in_command_language
def create_admin_command(pseudonym: str) -> None:
    """Create an admin account and print its generated password once."""
    password = suggest_passphrase(6)
    code = invites.create_invite(
        role=Role.ADMIN, uses=1, expires_in=timedelta(hours=1), now=clock.now(), inviter=None
    )
    try:
        joining.register_account(
            invite_code=code,
            pseudonym=pseudonym,
            password=password,
            password_confirm=password,
            now=clock.now(),
            open_joining=False,
            site_name=current_app.config["SITE_NAME"],
        )
    except JoinRefused as refused:
        db.session.rollback()
        found = [str(message) for field in refused.problems.values() for message in field]
        raise click.ClickException(" ".join(found)) from refused
    db.session.commit()
    click.echo(_("Admin account: %(pseudonym)s", pseudonym=pseudonym))
    click.echo(_("Password (shown once): %(password)s", password=password))
    click.echo(_("Set up the second factor at first sign-in."))


@invite_cli.command("create")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default="member", show_default=True
)
@click.option("--uses", type=int, default=1, show_default=True)
@click.option(
    "--expires",
    "expires",
    default="14d",
    show_default=True,
    help=_l("how long it stays valid, e.g. 14d or 12h"),
)
@with_appcontext
@in_command_language
def invite_create_command(role: str, uses: int, expires: str) -> None:
    """Create an invite code and print it once (only its hash is stored)."""
    try:
        code = invites.create_invite(
            role=role,
            uses=uses,
            expires_in=parse_duration(expires),
            now=clock.now(),
            inviter=None,
        )
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(code)


@click.command("seed-demo")
@with_appcontext
@in_command_language
def seed_demo_command() -> None:
    """Fill an empty database with demo data; leave a database with data alone."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(_("Demo accounts have known passwords: not in production."))
    if not demo.database_is_empty():
        click.echo(_("The database already has accounts; demo data not added."))
        return
    password, accounts = demo.seed_accounts(clock.now())
    demo.seed_events(clock.now())
    demo.seed_programs(clock.now())
    demo.seed_pathway(clock.now())
    demo.seed_stories(clock.now())
    demo.seed_help(clock.now())
    db.session.commit()
    click.echo(_("Demo accounts (password shown once):"))
    click.echo("  " + _("password for all: %(password)s", password=password))
    for account in accounts:
        line = f"  {account.pseudonym:<14} {account.role:<7}"
        if account.totp_secret:
            line += " " + _("TOTP secret: %(secret)s", secret=account.totp_secret)
        click.echo(line)


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help=_l("only count what would be deleted"))
@with_appcontext
@in_command_language
def purge_command(dry_run: bool) -> None:
    """Delete every record past its retention period (counts only are printed, each
    after the name of its kind of record)."""
    counts = privacy.purge(clock.now(), dry_run=dry_run)
    for name, count in counts.items():
        if dry_run:
            said = ngettext("would delete %(num)d", "would delete %(num)d", count)
        else:
            said = ngettext("deleted %(num)d", "deleted %(num)d", count)
        click.echo(f"{name}: {said}")


@privacy_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
@in_command_language
def backup_command(target: Path) -> None:
    """Write a consistent copy of the SQLite database to TARGET."""
    if target.exists():
        raise click.ClickException(_("%(file)s exists; choose a new file name", file=target))
    try:
        privacy.backup_sqlite(target)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("Backed up to %(file)s", file=target))


def register_commands(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(create_admin_command)
    app.cli.add_command(invite_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(report_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_bench_command)
