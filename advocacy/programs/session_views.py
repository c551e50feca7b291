"""Sessions at one's own pace, on the programs blueprint (the rules: programs/sessions.py).

Who gets in: the staff who run the program (programs/hosts.py: runs; admins all) see
each session with how many members marked it done (small counts hidden) and write,
change, move and delete them; a member with a confirmed place reads them and marks them
done; anyone else signed in gets 404, as if the sessions were not there. Writing them
needs the staff or admin role first (403 for members and mentors).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock
from advocacy.domain import attempt, saved
from advocacy.events.forms import ConfirmForm
from advocacy.once import once
from advocacy.programs import forms, hosts, services, sessions
from advocacy.programs.models import Enrollment, EnrollmentStatus, Program, ProgramSession
from advocacy.programs.views import bp, form_page, load, load_run
from advocacy.security import role_required

# How a move is asked for (the buttons' values): one place earlier or later.
STEPS = {"earlier": -1, "later": 1}


def load_readers(program_id: int) -> tuple[Program, Enrollment | None]:
    """Return the program and the viewer's confirmed place (None for those who run it);
    404 for anyone else."""
    program = load(program_id)
    if hosts.runs(current_user, program):
        return program, None
    place = services.enrollment_of(current_user.id, program_id)
    if place is None or place.status != EnrollmentStatus.CONFIRMED:
        abort(404)
    return program, place


def load_session(program_id: int, session_id: int) -> ProgramSession:
    """Return the program's session, or 404."""
    found = sessions.session_in(program_id, session_id)
    if found is None:
        abort(404)
    return found


def details_of(form: forms.SessionForm) -> sessions.SessionDetails:
    return sessions.SessionDetails(
        title=form.title.data.strip(),
        body=form.body.data.strip(),
        prompt=(form.prompt.data or "").strip(),
        minutes=form.minutes.data,
    )


def to_list(program_id: int) -> BaseResponse:
    return redirect(url_for("programs.sessions", program_id=program_id), 303)


def to_session(program_id: int, session_id: int) -> BaseResponse:
    return redirect(url_for("programs.session", program_id=program_id, session_id=session_id), 303)


@bp.get("/programs/<int:program_id>/sessions", endpoint="sessions")
@login_required
def sessions_page(program_id: int) -> str:
    """Members: the sessions in order, those marked done, "3 of 8 done". Staff who run
    it: each with how many members marked it done, and what they may change."""
    program, place = load_readers(program_id)
    if place is None:
        return render_template(
            "programs/sessions.html",
            program=program,
            place=None,
            finished=sessions.finished_counts(program_id),
        )
    listed = sessions.sessions_of(program_id)
    done = sessions.done_ids(place.id)
    return render_template(
        "programs/sessions.html",
        program=program,
        place=place,
        listed=listed,
        done=done,
        done_count=sum(1 for each in listed if each.id in done),
    )


@bp.get("/programs/<int:program_id>/sessions/<int:session_id>", endpoint="session")
@login_required
def session_page(program_id: int, session_id: int) -> str:
    """One session: its words and prompt; for a member, whether it is done (a button to
    mark it or take the mark back) and the sessions before and after it."""
    program, place = load_readers(program_id)
    found = load_session(program_id, session_id)
    listed = sessions.sessions_of(program_id)
    at = listed.index(found)
    done = sessions.done_ids(place.id) if place else set()
    return render_template(
        "programs/session.html",
        program=program,
        place=place,
        found=found,
        number=at + 1,
        total=len(listed),
        before=listed[at - 1] if at > 0 else None,
        after=listed[at + 1] if at + 1 < len(listed) else None,
        is_done=found.id in done,
        done_count=sum(1 for each in listed if each.id in done),
        finished=None if place else sessions.finished_counts(program_id)[at].figure,
    )


def marked(program_id: int, session_id: int, *, done: bool) -> BaseResponse:
    """Mark the session done (done=True; again, it stays done once) or take the mark back,
    say how many are done now, and go back to the session."""
    load_readers(program_id)

    def say(_was: bool) -> None:
        place = services.enrollment_of(current_user.id, program_id)
        count = {"done": len(sessions.done_ids(place.id)), "total": sessions.count_of(program_id)}
        if done:
            flash(_l("Marked done. %(done)s of %(total)s done.", **count), "success")
        else:
            flash(_l("The mark is taken back. %(done)s of %(total)s done.", **count), "success")

    attempt(lambda: sessions.mark(current_user, program_id, session_id, done=done), success=say)
    return to_session(program_id, session_id)


@bp.post("/programs/<int:program_id>/sessions/<int:session_id>/done")
@login_required
def mark_done(program_id: int, session_id: int) -> BaseResponse:
    """Mark the session done."""
    return marked(program_id, session_id, done=True)


@bp.post("/programs/<int:program_id>/sessions/<int:session_id>/not-done")
@login_required
def mark_not_done(program_id: int, session_id: int) -> BaseResponse:
    """Take back the session's mark."""
    return marked(program_id, session_id, done=False)


# Staff write them


@bp.route("/programs/<int:program_id>/sessions/new", methods=["GET", "POST"])
@role_required("staff", "admin")
@once(then="programs.sessions")
def new_session(program_id: int):
    """Add a session after the last one."""
    program = load_run(program_id)
    form = forms.SessionForm()
    if form.validate_on_submit() and saved(
        form,
        "title",
        lambda: sessions.add_session(program_id, details_of(form), now=clock.now()),
        success=_l("The session is added."),
    ):
        return to_list(program_id)
    return form_page("programs/session_form.html", form=form, program=program, found=None)


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required("staff", "admin")
def edit_session(program_id: int, session_id: int):
    """Change a session's words; members' marks stay."""
    program = load_run(program_id)
    found = load_session(program_id, session_id)
    form = forms.SessionForm(obj=found if request.method == "GET" else None)
    if form.validate_on_submit() and saved(
        form,
        "title",
        lambda: sessions.update_session(program_id, session_id, details_of(form)),
        success=_l("The session is saved."),
    ):
        return to_session(program_id, session_id)
    return form_page("programs/session_form.html", form=form, program=program, found=found)


@bp.post("/programs/<int:program_id>/sessions/<int:session_id>/move")
@role_required("staff", "admin")
def move_session(program_id: int, session_id: int) -> BaseResponse:
    """Move a session one place earlier or later (direction=earlier|later)."""
    load_run(program_id)
    step = STEPS.get(request.form.get("direction", ""))
    if step is None:
        flash(_l("Please choose earlier or later with the buttons."), "error")
        return to_list(program_id)

    def moved(did: bool) -> None:
        if did:
            flash(_l("The session is moved."), "success")
        else:
            flash(_l("It is already there. Nothing was changed."), "info")

    attempt(lambda: sessions.move_session(program_id, session_id, step), success=moved)
    return to_list(program_id)


@bp.route("/programs/<int:program_id>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@role_required("staff", "admin")
def delete_session(program_id: int, session_id: int):
    """GET: what deleting the session would do, with a button. POST: delete it once
    confirmed (confirm=yes), then back to the sessions; not confirmed: back to the
    question; already gone (a second tap): a calm word on the sessions page."""
    program = load_run(program_id)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            flash(_l("The session is deleted only once you confirm on this page."), "error")
            return redirect(request.path, 303)
        attempt(
            lambda: sessions.delete_session(program_id, session_id),
            success=_l("The session is deleted, with every member's mark of it."),
        )
        return to_list(program_id)
    found = load_session(program_id, session_id)
    finished = {f.session.id: f.figure for f in sessions.finished_counts(program_id)}
    return render_template(
        "programs/session_delete.html",
        program=program,
        found=found,
        finished=finished[found.id],
    )
