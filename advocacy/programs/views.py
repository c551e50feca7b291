"""Programs views: browse, enroll, withdraw (once confirmed) or, once a program has ended,
remove it from one's account (once confirmed); staff create, change and
schedule; co-hosts. On the same blueprint: the roster's room (requests, attendance, extra
sessions, completion) in programs/roster_views.py; sessions at one's own pace in
programs/session_views.py; completion letters and their verification in
programs/letter_views.py."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock, i18n
from advocacy.domain import attempt, saved
from advocacy.events import forms as event_forms
from advocacy.events import host_views, scheduling
from advocacy.events.forms import ConfirmForm
from advocacy.extensions import db
from advocacy.faults import fault_point
from advocacy.once import once
from advocacy.privacy import services as privacy
from advocacy.programs import (
    attendance,
    catalog,
    completion,
    forms,
    hosts,
    removal,
    services,
    sessions,
)
from advocacy.programs.models import EnrollmentStatus, Program
from advocacy.security import role_required

bp = Blueprint("programs", __name__)
# The day a completion is said to be on, in every template that says it.
bp.add_app_template_global(completion.completion_day)


def load(program_id: int) -> Program:
    """Return the program, or 404 if the viewer may not see it."""
    program = catalog.get_program(program_id, current_user)
    if program is None:
        abort(404)
    return program


def load_run(program_id: int) -> Program:
    """Return a program the viewer runs (a host, or an admin); 404 for other staff, the
    answer for a program that does not exist."""
    program = load(program_id)
    if not hosts.runs(current_user, program):
        abort(404)
    return program


def load_chosen(program_id: int) -> Program:
    """Return a program whose co-hosts the viewer may choose (its creator, an admin); 404
    otherwise."""
    program = load(program_id)
    if not hosts.may_choose_hosts(current_user, program):
        abort(404)
    return program


def form_page(template: str, **context) -> tuple[str, int]:
    """Render a form's page: 200 when first shown, 400 when it was sent and refused."""
    return render_template(template, **context), (400 if request.method == "POST" else 200)


def details_of(form: forms.ProgramForm) -> catalog.ProgramDetails:
    return catalog.ProgramDetails(
        title=form.title.data.strip(),
        kind=form.kind.data,
        summary=form.summary.data.strip(),
        description=(form.description.data or "").strip(),
        capacity=form.capacity.data,
        enrollment_opens_on=form.enrollment_opens_on.data,
        enrollment_closes_on=form.enrollment_closes_on.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        needs_approval=form.needs_approval.data,
        status=form.status.data,
    )


@bp.get("/programs")
@login_required
def index() -> str:
    """List programs, open ones first, then the rest, each soonest first, with the
    viewer's own status."""
    cursor = catalog.read_list_cursor(request.args.get("after", ""))
    rows = catalog.programs_page(current_user, cursor)
    page, more = rows[: catalog.PAGE_SIZE], len(rows) > catalog.PAGE_SIZE
    return render_template(
        "programs/index.html",
        programs=page,
        statuses=catalog.statuses_for(current_user.id, [p.id for p in page]),
        next_cursor=str(catalog.ListCursor.at(page[-1])) if more else None,
        kinds=i18n.said(forms.KIND_LABELS),
        statuses_labels=i18n.said(forms.STATUS_LABELS),
        manager=catalog.is_manager(current_user),
    )


@bp.get("/programs/<int:program_id>")
@login_required
def show(program_id: int) -> str:
    """One program: details, your place, its meetings (for members and staff)."""
    return show_page(load(program_id))


def your_place(program: Program, now: datetime) -> dict:
    """The viewer's place as the program's pages say it: `enrollment` (None without one),
    `position` on the waiting list (None unless waiting), whether it is `enrolling`
    (taking requests) on `now`'s local date, and whether it has `ended` at `now`
    (services.has_ended: then there is nothing to withdraw from, only to remove), and
    `today`, `now`'s local date (an ended program's last day is over once before it)."""
    today = clock.local_date(now)
    enrollment = services.enrollment_of(current_user.id, program.id)
    waiting = enrollment is not None and enrollment.status == EnrollmentStatus.WAITLISTED
    return {
        "enrollment": enrollment,
        "position": services.queue_position(enrollment) if waiting else None,
        "enrolling": services.is_enrolling(program, today),
        "ended": services.has_ended(program, now),
        "today": today,
    }


def show_page(program: Program, host_form: event_forms.HostForm | None = None) -> str:
    """Render the program page; `host_form` is a co-host form sent back with its errors.

    Anyone who may see the program reads, before asking, when it meets (days and times,
    never the venue), the places left, whether staff approve requests and what completing
    it means; members with a place and staff read every meeting, with its page.
    """
    now = clock.now()
    place = your_place(program, now)
    enrollment = place["enrollment"]
    member = enrollment is not None and enrollment.status == EnrollmentStatus.CONFIRMED
    manager = catalog.is_manager(current_user)
    runs = hosts.runs(current_user, program)
    return render_template(
        "programs/show.html",
        program=program,
        **place,
        places_left=catalog.places_left(program),
        schedule=None if member or manager else catalog.schedule(program.id, now),
        meetings=catalog.meetings(program.id) if member or manager else [],
        session_count=sessions.count_of(program.id),
        sessions_done=len(sessions.done_ids(enrollment.id)) if member else 0,
        manager=manager,
        places=attendance.places(program, now) if manager else None,
        runs=runs,
        hosts=hosts.hosts(program) if runs else [],
        may_choose=hosts.may_choose_hosts(current_user, program),
        host_form=host_form or event_forms.HostForm(formdata=None),
        kinds=forms.KIND_LABELS,
        statuses=forms.STATUS_LABELS,
    )


# What a request's answer says; a wait says who decides when a place opens.
ENROLLED_SAID = {
    EnrollmentStatus.CONFIRMED: _l("You have a place. Welcome!"),
    EnrollmentStatus.PENDING: _l("Your request is in. Staff will let you know soon."),
}
WAITING_SAID = {
    False: _l(
        "The program is full, so you're on the waiting list. If a place opens up, it's "
        "yours and we'll tell you."
    ),
    True: _l(
        "The program is full, so you're on the waiting list. If a place opens up, your "
        "request goes to staff, who decide. We'll tell you."
    ),
}


@bp.post("/programs/<int:program_id>/enroll")
@login_required
def enroll(program_id: int) -> BaseResponse:
    """Ask for a place."""
    program = load(program_id)
    try:
        enrollment = services.enroll(current_user, program_id, now=clock.now())
    except services.ProgramError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        fault_point("enroll.committed")
        said = ENROLLED_SAID.get(enrollment.status) or WAITING_SAID[program.needs_approval]
        flash(said, "success")
    return redirect(url_for("programs.show", program_id=program_id), 303)


@bp.route("/programs/<int:program_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(program_id: int):
    """GET: what withdrawing would do (who gets the place), with a button; nothing changes.
    POST: withdraw once confirmed (confirm=yes), then back to the program; not confirmed:
    back to the question."""
    program = load(program_id)
    if request.method == "GET":
        return render_template(
            "programs/withdraw.html", program=program, **your_place(program, clock.now())
        )
    return confirmed(
        "programs.withdraw",
        program_id,
        unconfirmed=_l("You withdraw only once you confirm on this page."),
        action=lambda: services.withdraw(current_user, program_id, now=clock.now()),
        success=_l("You have withdrawn. You're welcome back any time."),
    )


@bp.route("/programs/<int:program_id>/remove", methods=["GET", "POST"])
@login_required
def remove(program_id: int):
    """Once the program has ended (services.has_ended), take it off your own account:
    GET: what goes and what stays, with a button; nothing changes. POST: remove once
    confirmed (confirm=yes), then back to the program; not confirmed: back to the
    question. Only ever the viewer's own place: the address names no one else's."""
    program = load(program_id)
    if request.method == "GET":
        return render_template(
            "programs/remove.html",
            program=program,
            ended=services.has_ended(program, clock.now()),
            goes=removal.what_goes(current_user.id, program_id),
            eligible=current_user.is_mentor_eligible,
        )
    return confirmed(
        "programs.remove",
        program_id,
        unconfirmed=_l("Nothing is removed until you confirm on this page."),
        action=lambda: removal.remove_ended(current_user, program_id, now=clock.now()),
        success=_l("The program is removed from your account."),
        erase=True,  # no copy of the place may linger in the SQLite log
    )


def confirmed(
    endpoint: str, program_id: int, *, unconfirmed, action, success, erase: bool = False
) -> BaseResponse:
    """Answer the POST of a confirmation page (`endpoint`): not confirmed (its button sends
    confirm=yes), flash `unconfirmed` and go back to the question, changing nothing; else
    run the one service call (domain.attempt: a refusal flashes its calm message) and go
    to the program's page. `erase`: once it is done, erase what the deleted rows left in
    SQLite's files (privacy.erase_traces), as a story's withdrawal does."""
    if not ConfirmForm().validate_on_submit():
        flash(unconfirmed, "error")
        return redirect(url_for(endpoint, program_id=program_id), 303)
    if attempt(action, success=success) and erase:
        privacy.erase_traces()
    return redirect(url_for("programs.show", program_id=program_id), 303)


@bp.route("/programs/new", methods=["GET", "POST"])
@role_required("staff", "admin")
@once(then="programs.index")
def new():
    """Create a program."""
    form = forms.ProgramForm()
    if form.validate_on_submit():
        program = saved(
            form,
            "enrollment_closes_on",
            lambda: catalog.create_program(current_user, details_of(form), now=clock.now()),
            success=_l("The program is created."),
        )
        if program:
            return redirect(url_for("programs.show", program_id=program.id), 303)
    return form_page("programs/form.html", form=form, action=url_for("programs.new"), program=None)


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
@role_required("staff", "admin")
def edit(program_id: int):
    """Change a program; enrolled members hear of date changes and cancellation."""
    program = load_run(program_id)
    form = forms.ProgramForm(obj=program)
    if form.validate_on_submit() and saved(
        form,
        "enrollment_closes_on",
        lambda: catalog.update_program(program_id, details_of(form), now=clock.now()),
        success=_l("The program is updated."),
    ):
        return redirect(url_for("programs.show", program_id=program_id), 303)
    return form_page(
        "programs/form.html",
        form=form,
        program=program,
        action=url_for("programs.edit", program_id=program_id),
    )


@bp.route("/programs/<int:program_id>/meetings/new", methods=["GET", "POST"])
@role_required("staff", "admin")
@once(then="programs.roster")
def new_meeting(program_id: int):
    """Schedule the program's meetings (events that only its members and staff see)."""
    program = load_run(program_id)
    form = event_forms.NewEventForm()
    form.set_defaults()
    if request.method == "GET":
        form.title.data = form.title.data or program.title
    if form.validate_on_submit():
        schedule = scheduling.Schedule(
            first_day=form.day.data,
            starts=form.starts.data,
            ends=form.ends.data,
            capacity=None,
            repeat=form.repeat(),
        )
        if saved(
            form,
            "day",
            lambda: scheduling.schedule_event(
                current_user, form.details(), schedule, now=clock.now(), program_id=program_id
            ),
            success=_l("The meetings are scheduled."),
        ):
            return redirect(url_for("programs.roster", program_id=program_id), 303)
    return form_page(
        "events/new.html",
        form=form,
        action=url_for("programs.new_meeting", program_id=program_id),
        program=program,
    )


@bp.post("/programs/<int:program_id>/hosts")
@role_required("staff", "admin")
def add_host(program_id: int):
    """Add a co-host by pseudonym (the program's creator, or an admin)."""
    program = load_chosen(program_id)
    return host_views.add(hosts, program, at(program_id), lambda form: show_page(program, form))


@bp.post("/programs/<int:program_id>/hosts/<int:account_id>/remove")
@role_required("staff", "admin")
def remove_host(program_id: int, account_id: int) -> BaseResponse:
    """Remove one of the people who run the program, never the last (creator, or admin)."""
    return host_views.remove(hosts, load_chosen(program_id), account_id, at(program_id))


@bp.route("/programs/<int:program_id>/hosts/leave", methods=["GET", "POST"])
@role_required("staff", "admin")
def leave_hosts(program_id: int):
    """Stop running the program yourself, once confirmed (its creator, or an admin host)."""
    return host_views.leave(hosts, load(program_id), at(program_id))


def at(program_id: int) -> host_views.At:
    """Where the host views send people: the program's page, and its leave page."""
    return host_views.At("programs", {"program_id": program_id})
