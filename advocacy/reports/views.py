"""Reports for funders (/staff/reports): the page with charts and tables, and its CSV."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advocacy import clock, i18n
from advocacy.domain import page_cursor
from advocacy.reports import export, forms, services
from advocacy.reports.charts import bar_chart
from advocacy.reports.counting import month_of
from advocacy.security import role_required

bp = Blueprint("reports", __name__)


def asked() -> tuple[forms.ReportForm, services.Report | None]:
    """Read the form from the query string (none: the last months) and build the report;
    None when the form is refused (its errors say why). 404 for a program not the viewer's."""
    viewer = current_user._get_current_object()
    programs = services.programs_for(viewer)
    everything = (
        _l("Every program, and the whole site")
        if services.sees_whole_site(viewer)
        else _l("Every program I run")
    )
    form = forms.ReportForm(formdata=request.args or None, programs=programs, everything=everything)
    if not request.args:
        form.set_defaults(month_of(clock.now()))
    elif not form.validate():
        return form, None
    program_id = None
    if form.program.data:
        program_id = page_cursor(form.program.data)
        if program_id is None:
            abort(404)
    try:
        report = services.report_for(
            viewer,
            programs,
            first=form.from_month.data,
            last=form.to_month.data,
            program_id=program_id,
        )
    except services.NotYours:
        abort(404)
    except services.ReportError as refused:
        form.to_month.errors = [refused.message]
        return form, None
    return form, report


def month_label(month: date) -> str:
    """Name a month in the reader's language: "January 2026"."""
    return i18n.say_day(month, "month", i18n.locale_name())


def page(form: forms.ReportForm, report: services.Report | None) -> tuple[str, int]:
    query = {
        "from_month": form.from_month._value(),
        "to_month": form.to_month._value(),
        "program": form.program.data or None,
    }
    charts = [bar_chart(table) for table in report.tables] if report else []
    html = render_template(
        "reports/index.html",
        form=form,
        report=report,
        charts=charts,
        query=query,
        labels=services.MEASURE_LABELS,
        month_label=month_label,
    )
    return html, 200 if report else 400


@bp.get("/staff/reports")
@role_required("staff", "admin")
def index():
    """Reports: counts over whole months, small numbers hidden, each as a chart and a table."""
    return page(*asked())


@bp.get("/staff/reports.csv")
@role_required("staff", "admin")
def download():
    """The same report as CSV (a refused form: the page again with its message)."""
    form, report = asked()
    if report is None:
        return page(form, report)
    name = f"report-{report.first:%Y-%m}-to-{report.last:%Y-%m}.csv"
    return Response(
        export.as_bytes(report),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
