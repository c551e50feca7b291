"""Events views for the people who run events: schedule, change one meeting or the
event, cancel, take attendance, choose co-hosts. On the events blueprint (events/views.py
has what members see)."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock, i18n
from advocacy.domain import attempt, ids_from, saved
from advocacy.events import attendance, forms, host_views, hosts, scheduling
from advocacy.events.views import bp, load, load_chosen, load_run, show_page
from advocacy.extensions import db
from advocacy.once import once
from advocacy.security import role_required


def tell_if_moved(spans: list[clock.Span], starts: time, timezone: str) -> None:
    """Leave staff a calm note when the start time does not happen on a meeting's day (the
    clocks go forward then): that meeting starts later by the change and keeps its length
    (clock.meeting_span, RFC 5545 §3.3.5)."""
    moved = [span.starts_at.astimezone(ZoneInfo(timezone)) for span in spans if span.moved]
    if not moved:
        return
    locale = i18n.locale_name()
    note = ngettext(
        "%(time)s doesn't happen on %(days)s in %(zone)s (the clocks go forward), so that "
        "meeting starts at %(moved)s instead and keeps its length.",
        "%(time)s doesn't happen on %(days)s in %(zone)s (the clocks go forward), so those "
        "meetings start at %(moved)s instead and keep their length.",
        len(moved),
        time=i18n.format_hour(starts, "short", locale),
        days=", ".join(i18n.say_day(start.date(), "date", locale) for start in moved),
        zone=timezone,
        moved=i18n.format_hour(moved[0].time(), "short", locale),
    )
    flash(note, "info")


@bp.route("/events/new", methods=["GET", "POST"])
@role_required("staff", "admin")
@once(then="events.index")
def new():
    """Schedule an event, one-off or repeating."""
    form = forms.NewEventForm()
    form.set_defaults()
    if form.validate_on_submit():
        schedule = scheduling.Schedule(
            first_day=form.day.data,
            starts=form.starts.data,
            ends=form.ends.data,
            capacity=form.capacity.data,
            repeat=form.repeat(),
        )
        event = saved(
            form,
            "day",
            lambda: scheduling.schedule_event(
                current_user, form.details(), schedule, now=clock.now()
            ),
        )
        if event is not None:
            count = len(event.occurrences)
            said = ngettext(
                "Scheduled “%(title)s”: %(num)d meeting.",
                "Scheduled “%(title)s”: %(num)d meetings.",
                count,
                title=event.title,
            )
            flash(said, "success")
            tell_if_moved(
                scheduling.occurrence_times(schedule, event.timezone),
                schedule.starts,
                event.timezone,
            )
            return redirect(url_for("events.show", occurrence_id=event.occurrences[0].id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("events/new.html", form=form), status


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
    hours = forms.HoursForm(
        prefix="series",
        starts=meeting.starts.data,
        ends=meeting.ends.data,
        capacity=occurrence.capacity,
    )
    submitted = request.form.get("part")
    if submitted == "details" and details.validate_on_submit():
        scheduling.update_event(event, details.details(), now=clock.now())
        db.session.commit()
        flash(_l("The event is updated. Anyone with an RSVP has been told of changes."), "success")
        return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)
    if submitted == "meeting" and meeting.validate_on_submit():
        changed = saved(
            meeting,
            "day",
            lambda: scheduling.change_occurrence(
                occurrence_id,
                day=meeting.day.data,
                starts=meeting.starts.data,
                ends=meeting.ends.data,
                capacity=meeting.capacity.data,
                now=clock.now(),
            ),
        )
        if changed is not None:
            flash(_l("This meeting is updated. Anyone with an RSVP has been told."), "success")
            span = clock.meeting_span(
                meeting.day.data, meeting.starts.data, meeting.ends.data, zone
            )
            tell_if_moved([span], meeting.starts.data, event.timezone)
            return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)
    if submitted == "series" and hours.validate_on_submit():
        spans = saved(
            hours,
            "starts",
            lambda: scheduling.change_series(
                event,
                starts=hours.starts.data,
                ends=hours.ends.data,
                capacity=hours.capacity.data,
                now=clock.now(),
            ),
        )
        if spans is not None:
            said = ngettext(
                "%(num)d meeting still to come is updated. Anyone with an RSVP has been told.",
                "%(num)d meetings still to come are updated. Anyone with an RSVP has been told.",
                len(spans),
            )
            flash(said, "success")
            tell_if_moved(spans, hours.starts.data, event.timezone)
            return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "events/edit.html",
        occurrence=occurrence,
        event=event,
        details=details,
        meeting=meeting,
        hours=hours,
        still_to_come=sum(
            o.starts_at > clock.now() and not o.is_cancelled for o in event.occurrences
        ),
    ), status


@bp.route("/events/<int:occurrence_id>/attendees", methods=["GET", "POST"])
@role_required("staff", "admin")
def attendees(occurrence_id: int):
    """Attendees by pseudonym and attendance, for those who run the event."""
    occurrence, event = load_run(occurrence_id)
    if request.method == "POST":
        present = ids_from(request.form.getlist("present"))
        if attempt(
            lambda: attendance.record_attendance(occurrence_id, present, now=clock.now()),
            success=_l("Attendance is saved."),
        ):
            return redirect(url_for("events.attendees", occurrence_id=occurrence_id), 303)
    return render_template(
        "events/attendees.html",
        occurrence=occurrence,
        event=event,
        people=attendance.attendees(occurrence_id),
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
