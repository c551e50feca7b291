"""Cancelling, asked on a page of its own first (issue 16: nothing irreversible by
accident; it works without JavaScript). GET says what will happen and changes nothing;
POST does it. On the events blueprint.

- A member's RSVP to one meeting, or to every meeting of a group still to come: a place
  given up goes to whoever has waited longest, who is told (rsvps.cancel_rsvp).
- Staff cancelling one meeting, or every meeting still to come: everyone with an RSVP (for
  a program's meeting, everyone with a place in the program) is told, with the reason if
  given (telling.tell_cancelled). The page says how many people that is.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from advocacy import clock
from advocacy.domain import attempt
from advocacy.events import attendance, finding, forms, rsvps, scheduling, telling
from advocacy.events.models import Event, Occurrence, RsvpStatus
from advocacy.events.views import bp, load, load_run
from advocacy.extensions import db
from advocacy.security import role_required


@bp.route("/events/<int:occurrence_id>/rsvp/cancel", methods=["GET", "POST"])
@login_required
def cancel_rsvp(occurrence_id: int):
    """Ask (GET), then cancel the RSVP (POST); a freed place goes to the next person waiting."""
    occurrence, event = load(occurrence_id)
    if request.method == "GET":
        booking = rsvps.rsvp_of(current_user.id, occurrence.id)
        return render_template(
            "events/cancel_rsvp.html",
            occurrence=occurrence,
            event=event,
            booking=booking,
            is_waiting=booking is not None and booking.status == RsvpStatus.WAITLISTED,
            someone_waits=attendance.counts(occurrence.id)[RsvpStatus.WAITLISTED] > 0,
            series_count=None,
        )
    attempt(
        lambda: rsvps.cancel_rsvp(current_user, occurrence_id, now=clock.now()),
        success=_l("Your RSVP is cancelled. Thank you for letting us know."),
    )
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


@bp.route("/events/<int:occurrence_id>/rsvp-series/cancel", methods=["GET", "POST"])
@login_required
def cancel_series_rsvps(occurrence_id: int):
    """Ask (GET), then cancel your RSVPs to every meeting of this event still to come."""
    occurrence, event = load(occurrence_id)
    if request.method == "GET":
        _open, mine = finding.series_counts(current_user.id, event.id, clock.now())
        return render_template(
            "events/cancel_rsvp.html",
            occurrence=occurrence,
            event=event,
            booking=None,
            is_waiting=False,
            someone_waits=False,
            series_count=mine,
        )
    attempt(
        lambda: rsvps.cancel_series_rsvps(current_user, event.id, now=clock.now()),
        success=lambda count: flash(
            ngettext(
                "Your RSVP to %(num)d meeting still to come is cancelled.",
                "Your RSVPs to %(num)d meetings still to come are cancelled.",
                count,
            ),
            "success",
        ),
    )
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


@bp.route("/events/<int:occurrence_id>/cancel", methods=["GET", "POST"])
@role_required("staff", "admin")
def cancel(occurrence_id: int):
    """Ask, with a reason to give (GET), then cancel this one meeting (POST); everyone with
    an RSVP is told, with the reason if given."""
    occurrence, event = load_run(occurrence_id)
    form = forms.CancelForm()
    if request.method == "GET":
        return cancel_page(occurrence, event, form, series=False)
    if not form.valid_for(event.venue):
        return cancel_page(occurrence, event, form, series=False, status=400)
    scheduling.cancel_occurrence(occurrence_id, now=clock.now(), reason=form.reason.data or "")
    db.session.commit()
    flash(_l("The meeting is cancelled. Everyone with an RSVP has been told."), "success")
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


@bp.route("/events/<int:occurrence_id>/cancel-series", methods=["GET", "POST"])
@role_required("staff", "admin")
def cancel_series(occurrence_id: int):
    """Ask (GET, or a POST without confirm=yes), then cancel every future meeting of the
    event (POST confirm=yes): it cannot be undone. Everyone with an RSVP is told once,
    with the reason if given."""
    occurrence, event = load_run(occurrence_id)
    form = forms.CancelForm()
    if request.method == "GET":
        return cancel_page(occurrence, event, form, series=True)
    if not form.valid_for(event.venue):
        return cancel_page(occurrence, event, form, series=True, status=400)
    if request.form.get("confirm") != "yes":
        return cancel_page(occurrence, event, form, series=True)
    count = scheduling.cancel_series(event, now=clock.now(), reason=form.reason.data or "")
    db.session.commit()
    said = ngettext(
        "%(num)d meeting cancelled. Everyone with an RSVP has been told.",
        "%(num)d meetings cancelled. Everyone with an RSVP has been told.",
        count,
    )
    flash(said, "success")
    return redirect(url_for("events.show", occurrence_id=occurrence_id), 303)


def cancel_page(
    occurrence: Occurrence,
    event: Event,
    form: forms.CancelForm,
    *,
    series: bool,
    status: int = 200,
) -> tuple[str, int]:
    """The page that asks staff to confirm a cancellation, saying how many meetings and
    how many people it reaches; with the form's message and the reason as typed when it
    could not be taken (400): nothing is cancelled until it can be sent."""
    if series:
        meetings = scheduling.future_occurrences(event, clock.now())
    else:
        meetings = [] if occurrence.is_cancelled else [occurrence]
    page = render_template(
        "events/cancel.html",
        occurrence=occurrence,
        event=event,
        form=form,
        series=series,
        meeting_count=len(meetings),
        told=len(telling.with_rsvps(event, meetings)),
    )
    return page, status
