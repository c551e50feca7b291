"""Moderation views: the queue, decisions on stories and reports, the log."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advocacy import clock
from advocacy.accounts import mentoring
from advocacy.accounts import standing as account_standing
from advocacy.accounts.errors import AccountError
from advocacy.domain import page_cursor
from advocacy.errors import calm_page
from advocacy.extensions import db
from advocacy.moderation import care, forms, reported, services
from advocacy.once import once
from advocacy.sanitize import render_markdown
from advocacy.security import role_required
from advocacy.staff import forms as staff_forms
from advocacy.staff import standing
from advocacy.stories import reading
from advocacy.stories import services as stories
from advocacy.stories.reports import REPORT_CATEGORIES

bp = Blueprint("moderation", __name__)
# A stop or lift sent twice (a double tap): the first one counted; its notice went once.
POSTING_DONE_ALREADY = _l("That was already sent, and it was done once. Here is where it stands.")

# DESIGN §2: mentors and admins moderate; staff do not.
MODERATORS = ("mentor", "admin")
# The local date the queue last suggested a break: in the session, not the database, so
# nothing is kept once the moderator signs out (then it may come once more that day).
BREAK_SUGGESTED_ON = "break_suggested_on"


@bp.app_context_processor
def moderation_labels() -> dict:
    return {"report_labels": REPORT_CATEGORIES, "action_labels": services.ACTIONS}


@bp.get("/moderation")
@role_required(*MODERATORS)
def queue() -> str:
    """Show stories awaiting review (oldest first) and stories with open reports, and once
    a day, after MODERATION_BREAK_AFTER decisions, a gentle word about a break."""
    today = clock.local_date(clock.now())
    reviewed = care.break_due(
        current_user,
        today,
        after=current_app.config["MODERATION_BREAK_AFTER"],
        suggested_on=session.get(BREAK_SUGGESTED_ON),
    )
    if reviewed is not None:
        session[BREAK_SUGGESTED_ON] = today.isoformat()
    return render_template(
        "moderation/queue.html",
        pending=services.pending_queue(),
        reported=reported.reported_queue(),
        reviewed_today=reviewed,
    )


@bp.route("/moderation/guide", methods=["GET", "POST"])
@role_required(*MODERATORS)
def guide():
    """How moderation works here: what a mentor made from the pathway sees first (after
    second-factor setup) until they say they have read it (POST), and any moderator may
    read again."""
    if request.method == "POST":
        if mentoring.guide_seen(current_user):
            db.session.commit()
        return redirect(url_for("moderation.queue"), code=303)
    return render_template("moderation/guide.html", due=mentoring.guide_due(current_user))


def own_story_refused():
    """The calm page a moderator gets for their own story under review or reported
    (DESIGN §2 "never own"): 403, since they know the story is there; nothing is shown
    of the review or the reports, nothing is decided."""
    return calm_page(
        _l("This is your own story"),
        _l(
            "Another mentor will read it and decide, so it doesn't open here. You can see "
            "it, and change it, under “My stories”."
        ),
        403,
    )


def parse_seen(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.route("/moderation/stories/<int:story_id>", methods=["GET", "POST"])
@role_required(*MODERATORS)
def review(story_id: int):
    """Read a pending story (closed until opened, unless the moderator chose otherwise),
    with what the identity check finds marked in it, and decide on it."""
    try:
        story = services.story_for_review(story_id)
    except stories.StoryNotFound:
        abort(404)
    if story.author_id == current_user.id:
        return own_story_refused()
    form = forms.DecisionForm()
    if request.method == "GET":
        form.seen.data = story.updated_at.isoformat()
    if form.validate_on_submit():
        try:
            services.decide_story(
                current_user,
                story.id,
                form.decision.data,
                note=form.note.data or "",
                seen_updated_at=parse_seen(form.seen.data),
                now=clock.now(),
            )
        except services.AlreadyDecided as error:
            db.session.rollback()
            flash(error.message, "info")
            return redirect(url_for("moderation.queue"), code=303)
        except stories.StoryError as error:
            db.session.rollback()
            form.note.errors.append(error.message)
        else:
            db.session.commit()
            flash(_l("Thank you. Your decision is saved and the author is told."), "success")
            return redirect(url_for("moderation.queue"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "moderation/review.html",
        form=form,
        story=story,
        html=render_markdown(story.body),
        check=care.review_check(story),
        opened=current_user.opens_stories_in_review,
    ), status


@bp.route("/moderation/reports/<int:story_id>", methods=["GET", "POST"])
@role_required(*MODERATORS)
def reports(story_id: int):
    """Read a reported story and its reports (never who made them), and decide."""
    try:
        entry = reported.reported_story(story_id)
    except stories.StoryNotFound:
        abort(404)
    if entry.story.author_id == current_user.id:
        return own_story_refused()
    form = forms.ReportDecisionForm()
    if form.validate_on_submit():
        try:
            reported.decide_reports(
                current_user,
                story_id,
                form.decision.data,
                note=form.note.data or "",
                warnings=list(form.warnings.data or []),
                now=clock.now(),
            )
        except services.AlreadyDecided as error:
            db.session.rollback()
            flash(error.message, "info")
            return redirect(url_for("moderation.queue"), code=303)
        except reported.WarningRefused as error:
            db.session.rollback()
            form.warnings.errors.append(error.message)
        except stories.StoryError as error:
            db.session.rollback()
            form.note.errors.append(error.message)
        else:
            db.session.commit()
            flash(_l("Thank you. Your decision is saved and the reporters are told."), "success")
            return redirect(url_for("moderation.queue"), code=303)
    status = 400 if request.method == "POST" else 200
    story = entry.story
    return render_template(
        "moderation/reports.html",
        form=form,
        entry=entry,
        story=story,
        html=reading.published_html(story) if story.is_published else None,
        notes=reported.report_notes(story_id),
    ), status


@bp.route("/moderation/stories/<int:story_id>/posting", methods=["GET", "POST"])
@role_required(*MODERATORS)
@once(then="moderation.posting", said=POSTING_DONE_ALREADY)
def posting(story_id: int):
    """Stop a story's author posting for some days, or lift the stop (never one's own).

    Reached from the story, so the author stays unnamed, as in the review itself.
    """
    try:
        story, author = services.authored_story(story_id)
    except stories.StoryNotFound:
        abort(404)
    form = staff_forms.PostingForm()
    if form.validate_on_submit():
        if form.action.data == "stop" and form.days.data is None:
            form.days.errors.append(_l("Please choose a number of days from 1 to 365."))
        else:
            try:
                if form.action.data == "stop":
                    standing.stop_posting(
                        current_user, author.id, days=form.days.data, now=clock.now()
                    )
                else:
                    standing.lift_posting_stop(current_user, author.id, now=clock.now())
            except AccountError as error:
                db.session.rollback()
                form.days.errors.append(error.message)
            else:
                db.session.commit()
                flash(_l("Done. The author is told in a notice."), "success")
                return redirect(url_for("moderation.posting", story_id=story.id), code=303)
    status = 400 if request.method == "POST" else 200
    until = account_standing.posting_stopped_until(author, now=clock.now())
    return render_template(
        "moderation/posting.html",
        form=form,
        story=story,
        until=until and account_standing.long_date(until, clock.zone_of(current_user)),
        own=author.id == current_user.id,
    ), status


@bp.get("/moderation/log")
@role_required(*MODERATORS)
def log() -> str:
    """Show the moderation log, newest first: who decided, what, when, the note and any
    warnings added (never who reported a story)."""
    before = request.args.get("before", "")
    rows = services.log_page(page_cursor(before), current_user.id)
    entries, more = rows[: services.LOG_PAGE_SIZE], len(rows) > services.LOG_PAGE_SIZE
    return render_template("moderation/log.html", entries=entries, more=more)
