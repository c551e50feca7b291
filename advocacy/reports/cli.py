"""`flask report export`: the report as CSV for funders, from the command line."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.i18n import in_command_language
from advocacy.reports import export, services

report_cli = AppGroup("report", help="Reports for funders: counts only, small numbers hidden.")

MONTH_HELP = _l("a month, YYYY-MM, or an ISO date YYYY-MM-DD (its whole month is taken)")


def month_option(_context: click.Context, _param: click.Parameter, value: str) -> date:
    """Read --from and --to as the first day of their month."""
    month = services.parse_month(value)
    if month is None:
        raise click.BadParameter(_("use %(format)s, in the years 1900 to 2999", format=MONTH_HELP))
    return month


@report_cli.command("export")
@click.option(
    "--from",
    "first",
    required=True,
    metavar="DATE",
    callback=month_option,
    help=_l("first month: %(format)s", format=MONTH_HELP),
)
@click.option(
    "--to",
    "last",
    required=True,
    metavar="DATE",
    callback=month_option,
    help=_l("last month, included: %(format)s", format=MONTH_HELP),
)
@click.option(
    "--program", "program_id", type=click.IntRange(min=1), help=_l("one program's number only")
)
@click.argument("target", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@with_appcontext
@in_command_language
def export_command(first: date, last: date, program_id: int | None, target: str) -> None:
    """Write the report over whole months to FILE as CSV ("-": standard output).

    Every program and the whole site (or one program with --program), with the same
    suppression as /staff/reports: 1 to 4 shows as "fewer than 5", a count that would give
    a small one away as "not shown", totals add up only the numbers shown. UTF-8 with a
    byte order mark, for Excel. FILE must not exist yet.
    """
    # In the staff member's language (i18n.command_locale), the CSV too.
    try:
        report = services.report_for(
            None, services.programs_for(None), first=first, last=last, program_id=program_id
        )
    except services.NotYours as missing:
        raise click.ClickException(
            _("there is no program number %(number)s", number=program_id)
        ) from missing
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
        raise click.ClickException(
            _("%(file)s exists; choose a new file name", file=target)
        ) from exists
    months = {"first": first.strftime("%Y-%m"), "last": last.strftime("%Y-%m")}
    click.echo(
        _("Report for %(first)s to %(last)s written to %(file)s", file=target, **months), err=True
    )
