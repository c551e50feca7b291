"""Completion letters, on the programs blueprint: the member's letter page, making a letter
(POST) and reading it at a GET address, and checking a letter's code (anyone).

A letter is made by a POST, which answers 303 to /programs/<id>/letter/latest (or its
.txt): the seed of its code (completion.py: issue_letter) stays in the member's session,
so Reload, Back and Print show that same letter and never make another code. In another
browser, after signing out, or once the completion is undone, the address sends them to
the letter page, where a new letter can be made.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock
from advocacy.extensions import db, limiter
from advocacy.programs import completion, forms, services
from advocacy.programs.views import bp, load
from advocacy.templating import site_url

# The session key holding {program id: seed hex} of the letters made in this session.
LETTERS = "letters"


def remember(program_id: int, letter: completion.Letter) -> None:
    """Keep the letter's seed in the member's session (the latest per program)."""
    session[LETTERS] = {**session.get(LETTERS, {}), str(program_id): letter.seed.hex()}


def remembered(program_id: int) -> completion.Letter | None:
    """Return the letter this session made for the program, while it stands."""
    kept = session.get(LETTERS, {}).get(str(program_id), "")
    try:
        seed = bytes.fromhex(kept)
    except ValueError:
        return None
    if len(seed) != completion.SEED_BYTES:
        return None
    return completion.shown_letter(current_user, program_id, seed)


@bp.route("/programs/<int:program_id>/letter", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def letter(program_id: int):
    """GET: the member's letter page, where the completion notice leads (a calm word when
    there is no completion). POST: make a letter with a fresh verification code, then show
    it at its GET address (format=text: the plain-text file)."""
    program = load(program_id)
    if request.method == "GET":
        enrollment = services.enrollment_of(current_user.id, program_id)
        completed = enrollment if enrollment and enrollment.completed_on else None
        return render_template(
            "programs/letter_page.html",
            program=program,
            enrollment=completed,
            made=completed is not None and remembered(program_id) is not None,
        )
    try:
        made = completion.issue_letter(current_user, program_id, now=clock.now())
    except services.ProgramError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("programs.show", program_id=program_id), 303)
    db.session.commit()
    remember(program_id, made)
    shown = "programs.letter_text" if request.form.get("format") == "text" else "programs.latest"
    return redirect(url_for(shown, program_id=program_id), 303)


def not_here(program_id: int) -> BaseResponse:
    """Send the member to the letter page, saying why the letter is not shown here."""
    flash(
        _l(
            "A letter is shown again only in the browser that made it, until you sign out. "
            "You can make a new one here."
        ),
        "info",
    )
    return redirect(url_for("programs.letter", program_id=program_id))


def context(made: completion.Letter) -> dict:
    """What the letter's templates (HTML and text) are given."""
    return {
        "program": made.program,
        "enrollment": made.enrollment,
        "code": made.code,
        "kind": forms.KIND_LABELS.get(made.program.kind, ""),
        "verify_url": site_url("programs.verify"),
    }


def rendered(program_id: int, template: str) -> str | None:
    """Render the letter this session made for the program, or None when there is none."""
    load(program_id)
    made = remembered(program_id)
    return None if made is None else render_template(template, **context(made))


@bp.get("/programs/<int:program_id>/letter/latest")
@login_required
def latest(program_id: int):
    """The letter this session made last for the program, to print (the same on Reload)."""
    page = rendered(program_id, "programs/letter.html")
    return not_here(program_id) if page is None else page


@bp.get("/programs/<int:program_id>/letter/latest.txt")
@login_required
def letter_text(program_id: int):
    """The same letter as a plain-text file."""
    text = rendered(program_id, "programs/letter.txt")
    if text is None:
        return not_here(program_id)
    response = Response(text, mimetype="text/plain")
    response.headers["Content-Disposition"] = 'attachment; filename="completion-letter.txt"'
    return response


@bp.route("/programs/verify", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def verify():
    """Tell whether a letter's code is genuine, without saying who holds it."""
    form = forms.VerifyForm()
    result = None
    checked = False
    if form.validate_on_submit():
        checked = True
        result = completion.verify_letter(form.code.data)
    return render_template("programs/verify.html", form=form, result=result, checked=checked)
