"""The roster's room, on the programs blueprint, for those who run the program (admins, and
staff who host it; other staff get 404, members and mentors 403): who takes part and how
often they came, requests to decide, attendance, meetings that already happened (extra
sessions), completion after a confirmation, and undoing it the same day.

Views parse, call one service (programs/attendance.py, programs/completion.py), commit
and flash; the rules are the services'.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock
from advocacy.domain import attempt, ids_from, saved
from advocacy.events import finding
from advocacy.events.forms import ConfirmForm
from advocacy.once import once
from advocacy.programs import attendance, completion, forms, services
from advocacy.programs.models import EnrollmentStatus
from advocacy.programs.views import bp, form_page, load_run
from advocacy.security import role_required

# A completion or its undoing sent twice (a double tap): the first one counted.
DONE_ALREADY = _l("That was already sent, and it was done once. Here is where it stands.")


def confirmed_members(program_id: int) -> list[tuple]:
    """The roster's members with a confirmed place: (enrollment, pseudonym)."""
    return [
        row for row in services.roster(program_id) if row[0].status == EnrollmentStatus.CONFIRMED
    ]


@bp.get("/programs/<int:program_id>/roster")
@role_required("staff", "admin")
def roster(program_id: int) -> str:
    """Requests, members (with how often they came) and the queue, by pseudonym; meetings
    with their attendance."""
    program = load_run(program_id)
    now = clock.now()
    return render_template(
        "programs/roster.html",
        program=program,
        people=attendance.roster_lines(program_id),
        places=attendance.places(program, now),
        meetings=attendance.meeting_lines(program_id),
        form=forms.DecisionForm(formdata=None),
        now=now,
        today=clock.local_date(now),
        may_complete=completion.may_complete_on(program, now),
    )


@bp.post("/programs/<int:program_id>/roster/<int:enrollment_id>/<any(approve, decline):action>")
@role_required("staff", "admin")
def decide(program_id: int, enrollment_id: int, action: str):
    """Approve or decline a request, with a note to the member. Declining cannot be undone
    (the member is told at once), so it is asked on a page of its own first: a decline
    without confirm=yes shows that page, the note kept. The flash, on this staff member's
    own page only, names the member as the roster beside it does."""
    program = load_run(program_id)
    form = forms.DecisionForm()
    if not form.validate_on_submit():
        flash(_l("Please keep the note under 500 characters."), "error")
        return redirect(url_for("programs.roster", program_id=program_id), 303)
    note = (form.note.data or "").strip()
    entry = completion.roster_entry(program_id, enrollment_id)  # None: the service refuses
    name = entry[1] if entry else ""
    if action == "decline" and entry and request.form.get("confirm") != "yes":
        return render_template(
            "programs/decline.html", program=program, enrollment_id=enrollment_id, name=name,
            note=note, form=form,
        )  # fmt: skip
    decisions = {
        "approve": (
            lambda: services.approve(program_id, enrollment_id, note=note, now=clock.now()),
            _l("Saved. %(name)s has been told their place is confirmed.", name=name),
        ),
        "decline": (
            lambda: services.decline(program_id, enrollment_id, note=note, now=clock.now()),
            _l("Saved. %(name)s has been told their request was declined.", name=name),
        ),
    }
    decide_it, told = decisions[action]
    attempt(decide_it, success=told)
    return redirect(url_for("programs.roster", program_id=program_id), 303)


@bp.get("/programs/<int:program_id>/roster/<int:enrollment_id>/completion")
@role_required("staff", "admin")
def completion_page(program_id: int, enrollment_id: int) -> str:
    """One member's completion: confirm recording it, or see it and undo it today."""
    program = load_run(program_id)
    entry = completion.roster_entry(program_id, enrollment_id)
    if entry is None:
        abort(404)
    enrollment, pseudonym = entry
    now = clock.now()
    return render_template(
        "programs/completion.html",
        program=program,
        enrollment=enrollment,
        pseudonym=pseudonym,
        may_complete=completion.may_complete_on(program, now),
        may_undo=completion.may_undo_on(enrollment, now),
        ended=clock.local_date(now) > program.ends_on,
    )


@bp.post("/programs/<int:program_id>/roster/<int:enrollment_id>/complete")
@role_required("staff", "admin")
@once(then="programs.completion_page", said=DONE_ALREADY)
def complete(program_id: int, enrollment_id: int) -> BaseResponse:
    """Record completion, once confirmed with the page's button (confirm=yes)."""
    load_run(program_id)
    page = url_for("programs.completion_page", program_id=program_id, enrollment_id=enrollment_id)
    if not ConfirmForm().validate_on_submit():
        flash(_l("Completion is recorded only once you confirm it on this page."), "error")
        return redirect(page, 303)
    if attempt(
        lambda: completion.complete(program_id, enrollment_id, now=clock.now()),
        success=_l(
            "Completion is recorded, and the member has been told. If it was a mistake, you "
            "can undo it today."
        ),
    ):
        return redirect(url_for("programs.roster", program_id=program_id), 303)
    return redirect(page, 303)


@bp.post("/programs/<int:program_id>/roster/<int:enrollment_id>/undo")
@role_required("staff", "admin")
@once(then="programs.completion_page", said=DONE_ALREADY)
def undo(program_id: int, enrollment_id: int) -> BaseResponse:
    """Undo a completion recorded today, once confirmed with the completion page's button
    (confirm=yes): its letters stop verifying, its notice goes, and the member is told the
    record was corrected."""
    load_run(program_id)
    if not ConfirmForm().validate_on_submit():
        flash(_l("A completion is undone only once you confirm it on this page."), "error")
        page = "programs.completion_page"
        return redirect(url_for(page, program_id=program_id, enrollment_id=enrollment_id), 303)
    attempt(
        lambda: completion.undo_completion(program_id, enrollment_id, now=clock.now()),
        success=_l(
            "Completion is undone. Any letter issued for it no longer verifies, the member's "
            "notices about it are withdrawn, and they have been told the record was corrected."
        ),
    )
    return redirect(url_for("programs.roster", program_id=program_id), 303)


@bp.route(
    "/programs/<int:program_id>/meetings/<int:occurrence_id>/attendance",
    methods=["GET", "POST"],
    endpoint="attendance",  # its name before this module; the function's is the module's
)
@role_required("staff", "admin")
def attendance_page(program_id: int, occurrence_id: int):
    """Record who came to one program meeting."""
    program = load_run(program_id)
    found = finding.get_occurrence(occurrence_id, current_user)
    if found is None or found[1].program_id != program_id:
        abort(404)
    now = clock.now()
    if request.method == "POST":
        present = ids_from(request.form.getlist("present"))
        if attempt(
            lambda: attendance.record_attendance(
                program_id, occurrence_id, present, now=clock.now()
            ),
            success=_l("Attendance is saved."),
        ):
            return redirect(url_for("programs.roster", program_id=program_id), 303)
    return render_template(
        "programs/attendance.html",
        program=program,
        occurrence=found[0],
        event=found[1],
        members=confirmed_members(program_id),
        attended=attendance.attendance(occurrence_id),
        started=found[0].starts_at <= now,
        places=attendance.places(program, now),
    )


@bp.route("/programs/<int:program_id>/meetings/past", methods=["GET", "POST"])
@role_required("staff", "admin")
@once(then="programs.roster")
def past_meeting(program_id: int):
    """Add a meeting that already happened (an extra session) and who came, in one form."""
    program = load_run(program_id)
    form = forms.PastMeetingForm()
    present = ids_from(request.form.getlist("present"))
    if request.method == "GET":
        form.title.data = program.title
        form.timezone.data = current_app.config["DEFAULT_TIMEZONE"]
    if form.validate_on_submit():
        meeting = attendance.PastMeeting(
            title=form.title.data.strip(),
            area=form.area.data.strip(),
            timezone=form.timezone.data,
            day=form.day.data,
            starts=form.starts.data,
            ends=form.ends.data,
        )
        if saved(
            form,
            "day",
            lambda: attendance.add_past_meeting(
                current_user, program_id, meeting, present, now=clock.now()
            ),
            success=_l("The meeting is added, with who came."),
        ):
            return redirect(url_for("programs.roster", program_id=program_id), 303)
    return form_page(
        "programs/past_meeting.html",
        program=program,
        form=form,
        members=confirmed_members(program_id),
        present=present,
    )
