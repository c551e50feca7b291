"""Events views: find, RSVP, calendar file; staff schedule, change, cancel, take attendance."""

from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date, format_time
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
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock
from advocacy.domain import attempt, ids_from, keyset_cursor, utc_timestamp
from advocacy.events import calendar, forms, host_views, hosts, services
from advocacy.events.models import Event, Occurrence
from advocacy.extensions import db
from advocacy.faults import fault_point
from advocacy.once import once
from advocacy.security import role_required

bp = Blueprint("events", __name__)


@bp.app_template_global()
def meeting_time(occurrence: Occurrence, event: Event) -> str:
    """Say when a meeting is, in the event's own time zone, naming the zone."""
    zone = ZoneInfo(event.timezone)
    start, end = occurrence.starts_at.astimezone(zone), occurrence.ends_at.astimezone(zone)
    locale = str(get_locale() or "en")
    day = format_date(start.date(), format="full", locale=locale)
    times = f"{format_time(start.time(), 'short', locale=locale)}–" + format_time(
        end.time(), "short", locale=locale
    )
    return f"{day}, {times} {start.tzname()} ({event.timezone})"


def details_from(form: forms.EventDetailsForm) -> services.EventDetails:
    """Read the shared details from a form (optional fields may be absent)."""

    def text(field) -> str:
        return (field.data or "").strip()

    return services.EventDetails(
        title=text(form.title),
        description=text(form.description),
        is_online=form.mode.data == "online",
        area=text(form.area),
        venue=text(form.venue),
        timezone=form.timezone.data,
        language=form.language.data,
        accessibility=text(form.accessibility),
    )


def load(occurrence_id: int) -> tuple[Occurrence, Event]:
    """Return the occurrence and its event, or 404 if the viewer may not see it."""
    found = services.get_occurrence(occurrence_id, current_user)
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
    filters = services.Filters(
        this_week=request.args.get("week") == "1",
        mode=request.args.get("mode")
        if request.args.get("mode") in {"online", "in_person"}
        else "",
        language=request.args.get("language")
        if request.args.get("language") in forms.LANGUAGES
        else "",
    )
    rows = services.upcoming_page(
        clock.now(),
        filters,
        keyset_cursor(request.args.get("after", ""), utc_timestamp),
        current_user,
    )
    page, more = rows[: services.PAGE_SIZE], len(rows) > services.PAGE_SIZE
    statuses = services.statuses_for(current_user.id, [o.id for o, _ in page])
    next_cursor = f"{page[-1][0].starts_at.isoformat()}_{page[-1][0].id}" if more else None
    return render_template(
        "events/index.html",
        meetings=page,
        statuses=statuses,
        filters=filters,
        languages=forms.LANGUAGES,
        next_cursor=next_cursor,
        may_schedule=services.is_manager(current_user),
    )


@bp.route("/events/new", methods=["GET", "POST"])
@role_required("staff", "admin")
@once(then="events.index")
def new():
    """Schedule an event, one-off or repeating."""
    form = forms.NewEventForm()
    form.set_defaults()
    if form.validate_on_submit():
        schedule = services.Schedule(
            first_day=form.day.data,
            starts=form.starts.data,
            ends=form.ends.data,
            capacity=form.capacity.data,
            recurrence=form.recurrence.data,
            until=form.until.data,
        )
        try:
            event = services.schedule_event(
                current_user, details_from(form), schedule, now=clock.now()
            )
        except services.EventError as error:
            db.session.rollback()
            form.day.errors.append(error.message)
        else:
            db.session.commit()
            count = len(event.occurrences)
            said = ngettext(
                "Scheduled “%(title)s”: %(num)d meeting.",
                "Scheduled “%(title)s”: %(num)d meetings.",
                count,
                title=event.title,
            )
            flash(said, "success")
            return redirect(url_for("events.show", occurrence_id=event.occurrences[0].id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "events/new.html", form=form, timezones=sorted(available_timezones())
    ), status


@bp.get("/events/<int:occurrence_id>")
@login_required
def show(occurrence_id: int) -> str:
    """One meeting: details, your RSVP, and the venue if you are confirmed."""
    return show_page(*load(occurrence_id))


def show_page(occurrence: Occurrence, event: Event, host_form: forms.HostForm | None = None) -> str:
    """Render the meeting's page; `host_form` is a co-host form sent back with its errors."""
    booking = services.rsvp_of(current_user.id, occurrence.id)
    manager = services.is_manager(current_user)
    runs = hosts.runs(current_user, event)
    return render_template(
        "events/show.html",
        occurrence=occurrence,
        event=event,
        booking=booking,
        position=services.waitlist_position(booking)
        if booking and booking.status == "waitlisted"
        else None,
        show_venue=services.may_see_venue(current_user, booking, event),
        is_open=not occurrence.is_cancelled and occurrence.starts_at > clock.now(),
        manager=manager,
        counts=services.counts(occurrence.id) if manager else None,
        runs=runs,
        hosts=hosts.hosts(event) if runs else [],
        may_choose=hosts.may_choose_hosts(current_user, event),
        host_form=host_form or forms.HostForm(formdata=None),
        places_left=None
        if occurrence.capacity is None
        else max(occurrence.capacity - occurrence.taken, 0),
    )


@bp.get("/events/<int:occurrence_id>.ics")
@login_required
def ics(occurrence_id: int) -> Response:
    """Download the meeting as a calendar file (neutral in discreet mode)."""
    occurrence, event = load(occurrence_id)
    booking = services.rsvp_of(current_user.id, occurrence_id)
    body = calendar.occurrence_ics(
        occurrence,
        event,
        include_venue=services.may_see_venue(current_user, booking, event),
        discreet=current_user.is_discreet,
        now=clock.now(),
        site_name=current_app.config["SITE_NAME"],
        secret_key=current_app.config["SECRET_KEY"],
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@bp.post("/events/<int:occurrence_id>/rsvp")
@login_required
def rsvp(occurrence_id: int) -> BaseResponse:
    """Reserve a place (or a place in the queue)."""
    load(occurrence_id)
    try:
        booking = services.rsvp(current_user, occurrence_id, now=clock.now())
    except services.EventError as error:
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


@bp.post("/events/<int:occurrence_id>/rsvp/cancel")
@login_required
def cancel_rsvp(occurrence_id: int) -> BaseResponse:
    """Cancel the RSVP; a freed place goes to the next person waiting."""
    load(occurrence_id)
    attempt(
        lambda: services.cancel_rsvp(current_user, occurrence_id, now=clock.now()),
        success=_l("Your RSVP is cancelled. Thank you for letting us know."),
    )
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


@bp.route("/events/<int:occurrence_id>/edit", methods=["GET", "POST"])
@role_required("staff", "admin")
def edit(occurrence_id: int):
    """Change the event's shared details, or this one meeting's time and places."""
    occurrence, event = load_run(occurrence_id)
    details = forms.EventDetailsForm(
        obj=event, mode="online" if event.is_online else "in_person", prefix="details"
    )
    zone = ZoneInfo(event.timezone)
    meeting = forms.MeetingForm(
        prefix="meeting",
        day=occurrence.starts_at.astimezone(zone).date(),
        starts=occurrence.starts_at.astimezone(zone).time(),
        ends=occurrence.ends_at.astimezone(zone).time(),
        capacity=occurrence.capacity,
    )
    submitted = request.form.get("part")
    if submitted == "details" and details.validate_on_submit():
        services.update_event(event, details_from(details), now=clock.now())
        db.session.commit()
        flash(_l("The event is updated. Anyone with an RSVP has been told of changes."), "success")
        return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)
    if submitted == "meeting" and meeting.validate_on_submit():
        try:
            services.change_occurrence(
                occurrence_id,
                day=meeting.day.data,
                starts=meeting.starts.data,
                ends=meeting.ends.data,
                capacity=meeting.capacity.data,
                now=clock.now(),
            )
        except services.EventError as error:
            db.session.rollback()
            meeting.day.errors.append(error.message)
        else:
            db.session.commit()
            flash(_l("This meeting is updated. Anyone with an RSVP has been told."), "success")
            return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "events/edit.html",
        occurrence=occurrence,
        event=event,
        details=details,
        meeting=meeting,
        timezones=sorted(available_timezones()),
    ), status


@bp.post("/events/<int:occurrence_id>/cancel")
@role_required("staff", "admin")
def cancel(occurrence_id: int) -> BaseResponse:
    """Cancel this one meeting; everyone with an RSVP is told."""
    load_run(occurrence_id)
    services.cancel_occurrence(occurrence_id, now=clock.now())
    db.session.commit()
    flash(_l("The meeting is cancelled. Everyone with an RSVP has been told."), "success")
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


@bp.post("/events/<int:occurrence_id>/cancel-series")
@role_required("staff", "admin")
def cancel_series(occurrence_id: int) -> BaseResponse:
    """Cancel every future meeting of the event; everyone with an RSVP is told."""
    _occurrence, event = load_run(occurrence_id)
    count = services.cancel_series(event, now=clock.now())
    db.session.commit()
    flash(
        _l("%(count)s meetings cancelled. Everyone with an RSVP has been told.", count=count),
        "success",
    )
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


@bp.route("/events/<int:occurrence_id>/attendees", methods=["GET", "POST"])
@role_required("staff", "admin")
def attendees(occurrence_id: int):
    """Attendees by pseudonym and attendance, for those who run the event."""
    occurrence, event = load_run(occurrence_id)
    if request.method == "POST":
        present = ids_from(request.form.getlist("present"))
        if attempt(
            lambda: services.record_attendance(occurrence_id, present, now=clock.now()),
            success=_l("Attendance is saved."),
        ):
            return redirect(url_for("events.attendees", occurrence_id=occurrence_id), 303)
    return render_template(
        "events/attendees.html",
        occurrence=occurrence,
        event=event,
        people=services.attendees(occurrence_id),
        started=occurrence.starts_at <= clock.now(),
    )


@bp.post("/events/<int:occurrence_id>/hosts")
@role_required("staff", "admin")
def add_host(occurrence_id: int):
    """Add a co-host to the event by pseudonym (its creator, or an admin)."""
    occurrence, event = load_chosen(occurrence_id)
    return host_views.add(
        hosts, event, at(occurrence_id), lambda form: show_page(occurrence, event, form)
    )


@bp.post("/events/<int:occurrence_id>/hosts/<int:account_id>/remove")
@role_required("staff", "admin")
def remove_host(occurrence_id: int, account_id: int) -> BaseResponse:
    """Remove one of the people who run the event, never the last (creator, or admin)."""
    _occurrence, event = load_chosen(occurrence_id)
    return host_views.remove(hosts, event, account_id, at(occurrence_id))


@bp.route("/events/<int:occurrence_id>/hosts/leave", methods=["GET", "POST"])
@role_required("staff", "admin")
def leave_hosts(occurrence_id: int):
    """Stop running the event yourself, once confirmed (its creator, or an admin host)."""
    _occurrence, event = load(occurrence_id)
    return host_views.leave(hosts, event, at(occurrence_id))


def at(occurrence_id: int) -> host_views.At:
    """Where the host views send people: this meeting's page, and its leave page."""
    return host_views.At("events", {"occurrence_id": occurrence_id})
