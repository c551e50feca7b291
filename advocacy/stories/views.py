"""Stories views: read, write, the identity check, sharing, withdraw, report, warnings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from advocacy import clock
from advocacy.accounts.limits import signed_in_account_key
from advocacy.domain import keyset_cursor, utc_timestamp
from advocacy.extensions import db, limiter
from advocacy.faults import fault_point
from advocacy.once import once
from advocacy.privacy import services as privacy
from advocacy.stories import forms, reading, reports, services
from advocacy.stories.identity import highlight
from advocacy.stories.models import Status, Story

bp = Blueprint("stories", __name__)

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.PENDING: _l("Waiting for a mentor"),
    Status.CHANGES_REQUESTED: _l("A mentor asked for changes"),
    Status.DECLINED: _l("Not published"),
    Status.PUBLISHED: _l("Published"),
}


@bp.app_context_processor
def story_labels() -> dict:
    return {"warning_labels": services.WARNINGS, "status_labels": STATUS_LABELS}


def reader():
    return current_user if current_user.is_authenticated else None


# Reading


@bp.get("/stories")
def index() -> str:
    """List published stories this reader may see, newest first."""
    cursor = keyset_cursor(request.args.get("before", ""), utc_timestamp)
    rows = reading.published_page(
        signed_in=current_user.is_authenticated, now=clock.now(), before=cursor
    )
    listed, more = rows[: reading.PAGE_SIZE], len(rows) > reading.PAGE_SIZE
    next_cursor = None
    if more:
        last = listed[-1].story
        next_cursor = f"{last.published_at.isoformat()}_{last.id}"
    return render_template(
        "stories/index.html",
        listed=listed,
        next_cursor=next_cursor,
        hidden=reading.hidden_warnings(reader()),
    )


@bp.get("/stories/<int:story_id>")
def show(story_id: int) -> str:
    """Show one published story; its content stays collapsed under any warning."""
    try:
        listed = reading.readable_story(
            story_id, signed_in=current_user.is_authenticated, now=clock.now()
        )
    except services.StoryNotFound:
        abort(404)
    return render_template(
        "stories/show.html",
        listed=listed,
        story=listed.story,
        html=reading.published_html(listed.story),
        hidden=reading.hidden_warnings(reader()),
    )


# Writing


def story_input(form: forms.StoryForm) -> services.StoryInput:
    return services.StoryInput(
        title=form.title.data or "",
        body=form.body.data or "",
        warnings=list(form.warnings.data or []),
        warning_note=form.warning_note.data or "",
        audience=form.audience.data,
        is_anonymous=form.byline.data == "anonymous",
        unpublish_on=form.unpublish_on.data,
    )


def form_for(story: Story) -> forms.StoryForm:
    return forms.StoryForm(
        formdata=None,
        title=story.title,
        body=story.body,
        warnings=story.warnings,
        warning_note=story.warning_note,
        audience=story.audience,
        byline="anonymous" if story.is_anonymous else "pseudonym",
        unpublish_on=story.unpublish_on,
    )


def write_page(
    form, story: Story | None, findings=None, status: int = 200, sharing_form=None, *,
    unconfirmed: bool = False,
):  # fmt: skip
    """The writing page. `unconfirmed`: the identity check found again what it had shown,
    and the box that says it is safe to share was not ticked (the page says where it is).
    Once the story is saved, the language buttons come back to its own page, never to
    /stories/new, whose form would be empty."""
    pieces = None
    if findings:
        text = "\n\n".join(p for p in (story.title, story.warning_note, story.body) if p)
        pieces = highlight(text, findings)
    return render_template(
        "stories/write.html",
        form=form,
        story=story,
        findings=findings,
        pieces=pieces,
        sharing_form=sharing_form or (sharing_form_for(story) if story is not None else None),
        body_max=services.BODY_MAX,
        unconfirmed=unconfirmed,
        language_next=url_for("stories.edit", story_id=story.id) if story is not None else None,
    ), status


def sharing_form_for(story: Story) -> forms.SharingForm:
    return forms.SharingForm(
        formdata=None,
        audience=story.audience,
        byline="anonymous" if story.is_anonymous else "pseudonym",
        unpublish_on=story.unpublish_on,
    )


def save_or_submit(form: forms.StoryForm, story: Story | None):
    """Save a draft or ask for review; show the identity check's findings if there are any."""
    submitting = request.form.get("action") == "submit"
    confirmed = form.findings_seen.data if form.confirm_findings.data else None
    try:
        if submitting:
            result = services.submit(
                current_user,
                story_input(form),
                now=clock.now(),
                story=story,
                confirmed=confirmed,
            )
            story = result.story
        else:
            story = services.save_draft(
                current_user, story_input(form), now=clock.now(), story=story
            )
    except services.StoryError as error:
        db.session.rollback()
        form.body.errors.append(error.message)
        return write_page(form, story, status=400)
    db.session.commit()
    fault_point("story.committed")
    if not submitting:
        flash(_l("Your draft is saved. Only you can see it."), "success")
        return redirect(url_for("stories.edit", story_id=story.id), code=303)
    if not result.submitted:
        unconfirmed = form.findings_seen.data == result.fingerprint
        form.findings_seen.data = result.fingerprint
        form.confirm_findings.data = False
        return write_page(form, story, findings=result.findings, unconfirmed=unconfirmed)
    flash(
        _l("Thank you. Your story is with the mentors, and you'll get a notice when it's read."),
        "success",
    )
    return redirect(url_for("stories.mine"), code=303)


@bp.route("/stories/new", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", key_func=signed_in_account_key, methods=["POST"])
@once(then="stories.mine")
def new():
    """Write a new story: save it as a draft, or check it and ask for review."""
    form = forms.StoryForm()
    if form.validate_on_submit():
        return save_or_submit(form, None)
    return write_page(form, None, status=400 if request.method == "POST" else 200)


@bp.route("/stories/<int:story_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", key_func=signed_in_account_key, methods=["POST"])
def edit(story_id: int):
    """Edit one's own story; an edit of a published story goes back to review."""
    try:
        story = services.own_story(current_user, story_id)
    except services.StoryNotFound:
        abort(404)
    if request.method == "GET":
        return write_page(form_for(story), story)
    form = forms.StoryForm()
    if form.validate_on_submit():
        return save_or_submit(form, story)
    return write_page(form, story, status=400)


@bp.get("/stories/mine")
@login_required
def mine() -> str:
    """List one's own stories with where each one is."""
    return render_template("stories/mine.html", stories=services.my_stories(current_user))


@bp.post("/stories/<int:story_id>/sharing")
@login_required
def sharing(story_id: int):
    """Change who can read a story, its byline and its unpublish date, at once."""
    try:
        story = services.own_story(current_user, story_id)
    except services.StoryNotFound:
        abort(404)
    form = forms.SharingForm()
    if form.validate_on_submit():
        try:
            services.change_sharing(
                current_user,
                story,
                audience=form.audience.data,
                is_anonymous=form.byline.data == "anonymous",
                unpublish_on=form.unpublish_on.data,
                now=clock.now(),
            )
        except services.StoryError as error:
            db.session.rollback()
            form.unpublish_on.errors.append(error.message)
        else:
            db.session.commit()
            flash(_l("Your choices for this story are saved."), "success")
            return redirect(url_for("stories.edit", story_id=story.id), code=303)
    return write_page(form_for(story), story, status=400, sharing_form=form)


@bp.route("/stories/<int:story_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(story_id: int):
    """Delete one's own story and its history, for real."""
    try:
        story = services.own_story(current_user, story_id)
    except services.StoryNotFound:
        abort(404)
    form = forms.WithdrawForm()
    if form.validate_on_submit():
        services.withdraw(current_user, story.id)
        db.session.commit()
        privacy.erase_traces()  # no copy of the text may linger in the SQLite log
        flash(_l("Your story is deleted, with its history. It can't be brought back."), "success")
        return redirect(url_for("stories.mine"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("stories/withdraw.html", form=form, story=story), status


@bp.route("/stories/<int:story_id>/report", methods=["GET", "POST"])
@login_required
def report(story_id: int):
    """Report a published story to the mentors (they never see who reported it)."""
    try:
        listed = reading.readable_story(story_id, signed_in=True, now=clock.now())
    except services.StoryNotFound:
        abort(404)
    form = forms.ReportForm()
    if form.validate_on_submit():
        try:
            repeated = reports.report(
                current_user,
                story_id,
                category=form.category.data,
                note=form.note.data or "",
                now=clock.now(),
            )
        except services.StoryNotFound:
            db.session.rollback()
            abort(404)
        except reports.ReportNoteNeeded as error:
            db.session.rollback()
            form.note.errors.append(error.message)
        except services.StoryError as error:
            db.session.rollback()
            form.category.errors.append(error.message)
        else:
            db.session.commit()
            if repeated:
                flash(_l("You have already reported this story. A mentor will look at it."), "info")
            else:
                flash(
                    _l(
                        "Thank you. A mentor will look at the story, and you'll get a notice "
                        "of what they decide. They won't see who reported it."
                    ),
                    "success",
                )
            return redirect(url_for("stories.index"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("stories/report.html", form=form, story=listed.story), status


@bp.route("/account/warnings", methods=["GET", "POST"])
@login_required
def hidden_warnings():
    """Choose content warnings whose stories stay hidden in lists."""
    form = forms.HiddenWarningsForm()
    if form.validate_on_submit():
        try:
            reading.set_hidden_warnings(current_user, list(form.hidden.data or []))
        except services.StoryError as error:
            db.session.rollback()
            form.hidden.errors.append(error.message)
        else:
            db.session.commit()
            flash(_l("Your choices are saved."), "success")
            return redirect(url_for("stories.hidden_warnings"), code=303)
    elif request.method == "GET":
        form.hidden.data = sorted(reading.hidden_warnings(current_user))
    status = 400 if request.method == "POST" else 200
    return render_template("stories/warnings.html", form=form), status
