"""`flask report export`: the report as CSV for funders, from the command line."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale

from advocacy.reports import export, services

report_cli = AppGroup("report", help="Reports for funders: counts only, small numbers hidden.")

MONTH_HELP = "a month, YYYY-MM, or an ISO date YYYY-MM-DD (its whole month is taken)"


def month_option(_context: click.Context, _param: click.Parameter, value: str) -> date:
    """Read --from and --to as the first day of their month."""
    month = services.parse_month(value)
    if month is None:
        raise click.BadParameter(f"use {MONTH_HELP}, in the years 1900 to 2999")
    return month


@report_cli.command("export")
@click.option(
    "--from",
    "first",
    required=True,
    metavar="DATE",
    callback=month_option,
    help=f"first month: {MONTH_HELP}",
)
@click.option(
    "--to",
    "last",
    required=True,
    metavar="DATE",
    callback=month_option,
    help=f"last month, included: {MONTH_HELP}",
)
@click.option(
    "--program", "program_id", type=click.IntRange(min=1), help="one program's number only"
)
@click.argument("target", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@with_appcontext
def export_command(first: date, last: date, program_id: int | None, target: str) -> None:
    """Write the report over whole months to FILE as CSV ("-": standard output).

    Every program and the whole site (or one program with --program), with the same
    suppression as /staff/reports: 1 to 4 shows as "fewer than 5", a count that would give
    a small one away as "not shown", totals add up only the numbers shown. UTF-8 with a
    byte order mark, for Excel. FILE must not exist yet.
    """
    # No request to choose a language from: the command writes English.
    with force_locale("en"):
        try:
            report = services.report_for(
                None, services.programs_for(None), first=first, last=last, program_id=program_id
            )
        except services.NotYours as missing:
            raise click.ClickException(f"there is no program number {program_id}") from missing
        except services.ReportError as refused:
            raise click.ClickException(str(refused.message)) from refused
        data = export.as_bytes(report)
        if target == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        try:
            with open(target, "xb") as out:
                out.write(data)
        except FileExistsError as exists:
            raise click.ClickException(f"{target} exists; choose a new file name") from exists
    click.echo(f"Report for {first:%Y-%m} to {last:%Y-%m} written to {target}", err=True)
