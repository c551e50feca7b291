"""Events views for members: find meetings, one meeting's page, RSVP, calendar file. What
staff do (schedule, change, cancel, attendance, co-hosts) is events/staff_views.py, on the
same blueprint."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock, i18n
from advocacy.domain import attempt, keyset_cursor, utc_timestamp
from advocacy.events import (
    attendance,
    calendar,
    errors,
    finding,
    forms,
    hosts,
    listing,
    rsvps,
    series_calendar,
)
from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from advocacy.faults import fault_point

bp = Blueprint("events", __name__)


@bp.app_template_global()
def meeting_time(occurrence: Occurrence, event: Event) -> str:
    """Say when a meeting is, in the event's own time zone, naming the zone."""
    return said_in(occurrence, ZoneInfo(event.timezone))


@bp.app_template_global()
def your_meeting_time(occurrence: Occurrence, event: Event) -> str:
    """Say when a meeting is in the viewer's own time zone (clock.zone_of), naming it, when
    that differs from the event's; else nothing (meeting_time says it already)."""
    zone = clock.zone_of(current_user)
    return "" if zone.key == event.timezone else said_in(occurrence, zone)


def said_in(occurrence: Occurrence, zone: ZoneInfo) -> str:
    """ "Tuesday, 1 December 2026, 6:00 PM–7:30 PM EST (America/New_York)" in `zone`: the
    day as i18n.say_day's "weekday and date"."""
    start, end = occurrence.starts_at.astimezone(zone), occurrence.ends_at.astimezone(zone)
    locale = i18n.locale_name()
    day = i18n.say_day(start.date(), "weekday and date", locale)
    times = f"{i18n.format_hour(start.time(), 'short', locale)}–" + i18n.format_hour(
        end.time(), "short", locale
    )
    return f"{day}, {times} {start.tzname()} ({zone.key})"


def load(occurrence_id: int) -> tuple[Occurrence, Event]:
    """Return the occurrence and its event, or 404 if the viewer may not see it."""
    found = finding.get_occurrence(occurrence_id, current_user)
    if found is None:
        abort(404)
    return found


def load_run(occurrence_id: int) -> tuple[Occurrence, Event]:
    """Return a meeting and its event if the viewer runs it (a host, of the event or of its
    program, or an admin); 404 for other staff, the answer for a meeting that does not exist."""
    occurrence, event = load(occurrence_id)
    if not hosts.runs(current_user, event):
        abort(404)
    return occurrence, event


def load_chosen(occurrence_id: int) -> tuple[Occurrence, Event]:
    """Return a meeting and its event if the viewer may choose the event's co-hosts (its
    creator, an admin; never for a program's meeting); 404 otherwise."""
    occurrence, event = load(occurrence_id)
    if not hosts.may_choose_hosts(current_user, event):
        abort(404)
    return occurrence, event


@bp.get("/events")
@login_required
def index() -> str:
    """List upcoming meetings, soonest first, with filters."""
    filters = finding.Filters(
        this_week=request.args.get("week") == "1",
        mode=request.args.get("mode")
        if request.args.get("mode") in {"online", "in_person"}
        else "",
        language=request.args.get("language")
        if request.args.get("language") in forms.LANGUAGES
        else "",
    )
    now = clock.now()
    rows = finding.upcoming_page(
        now,
        filters,
        keyset_cursor(request.args.get("after", ""), utc_timestamp),
        current_user,
    )
    page, more = rows[: finding.PAGE_SIZE], len(rows) > finding.PAGE_SIZE
    statuses = finding.statuses_for(current_user.id, [o.id for o, _ in page])
    next_cursor = f"{page[-1][0].starts_at.isoformat()}_{page[-1][0].id}" if more else None
    return render_template(
        "events/index.html",
        days=listing.by_day(
            page, zone=clock.zone_of(current_user), now=now, locale=i18n.locale_name()
        ),
        statuses=statuses,
        filters=filters,
        languages=i18n.said(forms.LANGUAGES),
        next_cursor=next_cursor,
        may_schedule=finding.is_manager(current_user),
    )


@bp.get("/events/<int:occurrence_id>")
@login_required
def show(occurrence_id: int) -> str:
    """One meeting: details, your RSVP, and the venue if you are confirmed."""
    return show_page(*load(occurrence_id))


def show_page(occurrence: Occurrence, event: Event, host_form: forms.HostForm | None = None) -> str:
    """Render the meeting's page; `host_form` is a co-host form sent back with its errors."""
    booking = rsvps.rsvp_of(current_user.id, occurrence.id)
    manager = finding.is_manager(current_user)
    runs = hosts.runs(current_user, event)
    return render_template(
        "events/show.html",
        occurrence=occurrence,
        event=event,
        booking=booking,
        position=rsvps.waitlist_position(booking)
        if booking and booking.status == "waitlisted"
        else None,
        show_venue=finding.may_see_venue(current_user, booking, event, occurrence),
        is_open=not occurrence.is_cancelled and occurrence.starts_at > clock.now(),
        manager=manager,
        counts=attendance.counts(occurrence.id) if manager else None,
        runs=runs,
        hosts=hosts.hosts(event) if runs else [],
        may_choose=hosts.may_choose_hosts(current_user, event),
        host_form=host_form or forms.HostForm(formdata=None),
        places_left=None
        if occurrence.capacity is None
        else max(occurrence.capacity - occurrence.taken, 0),
        series=None
        if event.program_id is not None
        else finding.series_counts(current_user.id, event.id, clock.now()),
    )


@bp.get("/events/<int:occurrence_id>.ics")
@login_required
def ics(occurrence_id: int) -> Response:
    """Download the meeting as a calendar file (neutral in discreet mode)."""
    occurrence, event = load(occurrence_id)
    booking = rsvps.rsvp_of(current_user.id, occurrence_id)
    venue = finding.may_see_venue(current_user, booking, event, occurrence)
    body = calendar.occurrence_ics(occurrence, event, **calendar_settings(venue))
    return attachment(body, "meeting.ics")


@bp.get("/events/<int:occurrence_id>/series.ics")
@login_required
def series_ics(occurrence_id: int) -> Response:
    """Download every meeting of this meeting's event as one calendar file: its RFC 5545
    rule, cancelled meetings left out, moved ones added (events/series_calendar.py). The
    venue only for those who may see it at every meeting still to come; neutral in discreet
    mode."""
    _occurrence, event = load(occurrence_id)
    venue = finding.may_see_series_venue(current_user, event, clock.now())
    body = series_calendar.series_ics(event, **calendar_settings(venue))
    return attachment(body, "meetings.ics")


def calendar_settings(include_venue: bool) -> dict:
    """What every calendar file takes besides its meetings: the venue or not, the viewer's
    discreet mode, now, the site's name and the key its UIDs are made with."""
    return {
        "include_venue": include_venue,
        "discreet": current_user.is_discreet,
        "now": clock.now(),
        "site_name": current_app.config["SITE_NAME"],
        "secret_key": current_app.config["SECRET_KEY"],
    }


def attachment(body: bytes, filename: str) -> Response:
    """A calendar file to download."""
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.post("/events/<int:occurrence_id>/rsvp")
@login_required
def rsvp(occurrence_id: int) -> BaseResponse:
    """Reserve a place (or a place in the queue)."""
    load(occurrence_id)
    try:
        booking = rsvps.rsvp(current_user, occurrence_id, now=clock.now())
    except errors.EventError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        fault_point("rsvp.committed")
        if booking.status == "confirmed":
            flash(_l("You have a place. The details of where to go are below."), "success")
        else:
            flash(
                _l(
                    "This meeting is full, so you're on the waiting list. "
                    "If a place opens up, it's yours and we'll tell you."
                ),
                "info",
            )
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


@bp.post("/events/<int:occurrence_id>/rsvp-series")
@login_required
def rsvp_series(occurrence_id: int) -> BaseResponse:
    """RSVP to every meeting of this meeting's event that still takes RSVPs."""
    _occurrence, event = load(occurrence_id)
    attempt(
        lambda: rsvps.rsvp_series(current_user, event.id, now=clock.now()),
        success=lambda answer: say_series_answer(answer, event),
    )
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


def say_series_answer(answer: rsvps.SeriesAnswer, event: Event) -> None:
    """Tell the member, meeting by meeting, where a series RSVP left them."""
    if answer.confirmed:
        flash(
            ngettext(
                "You have a place at %(num)d meeting of “%(title)s”.",
                "You have a place at each of %(num)d meetings of “%(title)s”.",
                len(answer.confirmed),
                title=event.title,
            ),
            "success",
        )
    if answer.waitlisted:
        flash(
            ngettext(
                "%(num)d meeting is full, so you're on its waiting list: %(days)s. If a place "
                "opens up, it's yours and we'll tell you.",
                "%(num)d meetings are full, so you're on their waiting lists: %(days)s. If a "
                "place opens up, it's yours and we'll tell you.",
                len(answer.waitlisted),
                days=meeting_days(answer.waitlisted, event),
            ),
            "info",
        )
    if not (answer.confirmed or answer.waitlisted):
        flash(_l("You had already RSVP'd to every meeting still to come."), "info")


def meeting_days(meetings: list[Occurrence], event: Event) -> str:
    """The meetings' dates in the event's own time zone, as i18n.say_day's "date", e.g.
    "1 December 2026; 8 December 2026"."""
    zone, locale = ZoneInfo(event.timezone), i18n.locale_name()
    return "; ".join(
        i18n.say_day(o.starts_at.astimezone(zone).date(), "date", locale) for o in meetings
    )
