"""The notices page and the unread count in the header."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from advocacy import clock
from advocacy.domain import page_cursor
from advocacy.extensions import db
from advocacy.notices import services, unread
from advocacy.notices.models import Notice
from advocacy.security import safe_next_url

bp = Blueprint("notices", __name__)


@bp.app_context_processor
def unread_notices() -> dict:
    """Give every page the signed-in account's unread count (read with the account:
    notices/unread.py)."""
    if not current_user.is_authenticated or current_user.needs_two_factor:
        return {"unread_notices": 0}
    return {"unread_notices": unread.unread_count(current_user.id)}


@bp.get("/notices")
@login_required
def index() -> str:
    """List the account's notices, newest first."""
    before = request.args.get("before", "")
    rows = services.notices_page(current_user.id, page_cursor(before))
    notices, more = rows[: services.PAGE_SIZE], len(rows) > services.PAGE_SIZE
    return render_template(
        "notices/index.html",
        notices=[(notice, services.message_for(notice)) for notice in notices],
        more=more,
        when_notices_go=services.when_notices_go(),
    )


@bp.post("/notices/read")
@login_required
def mark_read() -> Response:
    """Mark every notice as read."""
    services.mark_all_read(current_user.id, now=clock.now())
    db.session.commit()
    flash(_l("All notices are marked as read."), "success")
    return redirect(url_for("notices.index"), code=303)


def own_notice(notice_id: int) -> Notice:
    """Return the signed-in account's notice, or 404 (another's, or none: the same answer)."""
    notice = services.own_notice(current_user.id, notice_id)
    if notice is None:
        abort(404)
    return notice


@bp.post("/notices/<int:notice_id>/open")
@login_required
def open_notice(notice_id: int) -> Response:
    """Open one notice: it is marked read, and the member goes where it leads (a path on
    this site), or back to the notices when it leads nowhere."""
    notice = own_notice(notice_id)
    services.mark_read(notice, now=clock.now())
    db.session.commit()
    return redirect(safe_next_url(notice.link) or url_for("notices.index"), code=303)


@bp.post("/notices/<int:notice_id>/dismiss")
@login_required
def dismiss(notice_id: int) -> Response:
    """Delete one notice, at once (its owner only)."""
    services.dismiss(own_notice(notice_id))
    db.session.commit()
    flash(_l("The notice is gone."), "success")
    return redirect(url_for("notices.index"), code=303)
