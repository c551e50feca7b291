"""Staff tools (/staff) and administration (/admin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, fresh_login_required
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock
from advocacy.accounts.errors import AccountError
from advocacy.accounts.models import Account
from advocacy.accounts.role_words import role_word
from advocacy.domain import page_cursor
from advocacy.extensions import db
from advocacy.moderation.views import MODERATORS
from advocacy.notices.hosting import programs_and_events
from advocacy.privacy import services as privacy
from advocacy.privacy.rules import rule_for
from advocacy.security import role_required
from advocacy.staff import asking, directory, forms, pathway, roles, services, standing
from advocacy.staff.audit_lines import audit_line
from advocacy.staff.workspace import staff_home

bp = Blueprint("staff", __name__)


def page_arg(name: str) -> int | None:
    """Read a keyset cursor from the query string (a positive integer), else None."""
    return page_cursor(request.args.get(name, ""))


@bp.get("/staff")
@role_required("staff", "admin")
def home():
    """The staff home: the work waiting in what the viewer runs (staff/workspace.py), the
    moderation backlog (a link to the queue only for those who may moderate), the tools."""
    return render_template(
        "staff/home.html",
        work=staff_home(current_user, now=clock.now()),
        may_moderate=current_user.role in MODERATORS,
    )


@bp.route("/staff/reset-codes", methods=["GET", "POST"])
@role_required("staff", "admin")
@fresh_login_required
def reset_code():
    """Issue a one-time reset code to hand to a member in person."""
    form = forms.ResetCodeForm()
    issued = None
    if form.validate_on_submit():
        try:
            issued = services.issue_reset_code(
                current_user,
                form.pseudonym.data,
                now=clock.now(),
                hours=current_app.config["RESET_CODE_HOURS"],
            )
        except AccountError as error:
            db.session.rollback()
            form.pseudonym.errors.append(error.message)
        else:
            db.session.commit()
    return render_template(
        "staff/reset_code.html",
        form=form,
        issued=issued,
        hours=current_app.config["RESET_CODE_HOURS"],
    )


@bp.get("/staff/reset-codes/pending")
@role_required("staff", "admin")
def pending_reset_codes():
    """List the reset codes waiting for a second person's approval (never the codes)."""
    return render_template(
        "staff/pending_reset_codes.html", codes=services.pending_reset_codes(clock.now())
    )


@bp.post("/staff/reset-codes/<int:code_id>/approve")
@role_required("staff", "admin")
@fresh_login_required
def approve_reset_code(code_id: int):
    """Approve someone else's reset code, so that it works (four eyes)."""
    return decide_reset_code(
        services.approve_reset_code,
        code_id,
        _l("Approved. The code for %(name)s now works until it expires."),
    )


@bp.post("/staff/reset-codes/<int:code_id>/withdraw")
@role_required("staff", "admin")
@fresh_login_required
def withdraw_reset_code(code_id: int):
    """Withdraw a reset code before it is used (its issuer, or an admin)."""
    return decide_reset_code(
        services.withdraw_reset_code,
        code_id,
        _l("Withdrawn. The code for %(name)s no longer works."),
    )


def decide_reset_code(decide, code_id: int, done: str):
    """Run one decision on a reset code, then come back to the waiting list."""
    try:
        target = decide(current_user, code_id, now=clock.now())
    except AccountError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(str(done) % {"name": target.pseudonym}, "success")
    return redirect(url_for("staff.pending_reset_codes"), code=303)


@bp.get("/admin")
@role_required("admin")
def admin_home():
    """List accounts with their roles (pseudonyms only), a small page at a time, found by
    pseudonym (`q`) and role (`role`); above the first page of all of them, the members
    eligible to mentor; and when the retention purge last completed (with a warning when
    it is late)."""
    filters = directory.read_filters(request.args.get("q", ""), request.args.get("role", ""))
    after = page_arg("after")
    rows = directory.accounts_page(after, filters)
    accounts, more = rows[: directory.PAGE_SIZE], len(rows) > directory.PAGE_SIZE
    eligible = None if after or filters.active else pathway.eligible_members()
    return render_template(
        "staff/admin.html",
        accounts=accounts,
        more=more,
        filters=filters,
        eligible=None if eligible is None else eligible[: pathway.ELIGIBLE_SHOWN],
        eligible_more=eligible is not None and len(eligible) > pathway.ELIGIBLE_SHOWN,
        pause_form=forms.PauseForm(formdata=None),
        role_labels=forms.ROLE_LABELS,
        last_purge=privacy.last_purge(clock.now()),
        purge_late_hours=privacy.PURGE_LATE_AFTER_HOURS,
    )


def account_action(
    form, act: Callable[[], Any], said: Callable[[Any], str], *, shown: int | None = None
) -> BaseResponse:
    """Run one action from the accounts list (make a mentor, change a role, pause): a form
    that does not validate is a 400 (the page fixes its values); `act()` refused is its
    calm message, nothing written; done, `said(what act returned)`. Then back to the list:
    found by the pseudonym of account `shown` (its new role or standing beside the
    message, not the top of a long list), or the whole list."""
    if not form.validate_on_submit():
        abort(400)
    try:
        done = act()
    except AccountError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(said(done), "success")
    target = db.session.get(Account, shown) if shown is not None else None
    found = {"q": target.pseudonym} if target is not None else {}
    return redirect(url_for("staff.admin_home", **found), code=303)


def account_or_404(account_id: int) -> Account:
    """Return the account with this id; 404 when there is none."""
    target = db.session.get(Account, account_id)
    if target is None:
        abort(404)
    return target


def ask(question: asking.Question, action: str) -> str:
    """The page that asks before an account action (staff/asking.py): what will happen and
    a button that POSTs `question.values` to `action`, or the reason it can't be done."""
    return render_template(
        "staff/confirm.html", ask=question, action=action, form=forms.ConfirmForm()
    )


@bp.route("/admin/accounts/<int:account_id>/mentor", methods=["GET", "POST"])
@role_required("admin")
@fresh_login_required
def make_mentor(account_id: int):
    """Ask (GET: what making this member a mentor does, nothing written), then make an
    eligible member who said they are interested a mentor (POST; audited)."""
    if request.method == "GET":
        target = account_or_404(account_id)
        return ask(asking.making_mentor(target), request.path)
    return account_action(
        forms.ConfirmForm(),
        lambda: pathway.make_mentor(current_user, account_id, now=clock.now()),
        lambda target: _l(
            "%(name)s is now a mentor. When they next sign in they will set up a second "
            "factor if they have none, then see how moderation works here.",
            name=target.pseudonym,
        ),
    )


@bp.route("/admin/accounts/<int:account_id>/role", methods=["GET", "POST"])
@role_required("admin")
@fresh_login_required
def change_role(account_id: int):
    """Ask (GET with ?role=: what the new role gives and takes away, nothing written), then
    change an account's role (POST; audited; staff/roles.py says what follows for the
    programs and events it ran). An unknown role is a 400 either way."""
    if request.method == "GET":
        target = account_or_404(account_id)
        role = request.args.get("role", "")
        if role not in forms.ROLE_LABELS:
            abort(400)
        return ask(asking.changing_role(current_user, target, role), request.path)
    form = forms.RoleForm()
    return account_action(
        form,
        lambda: roles.change_role(current_user, account_id, form.role.data, now=clock.now()),
        role_changed,
        shown=account_id,
    )


def role_changed(change: roles.RoleChange) -> str:
    """Say what a role change did, with the programs and events the account no longer
    runs and those the admin took over (by count)."""
    left = change.hosts_left
    said = [
        _l(
            "The role of %(name)s is now %(role)s.",
            name=change.account.pseudonym,
            role=role_word(change.account.role),
        )
    ]
    if left.programs or left.events:
        said.append(
            _l(
                "They no longer help run %(what)s.",
                what=programs_and_events(left.programs, left.events),
            )
        )
    if left.programs_taken or left.events_taken:
        taken = programs_and_events(left.programs_taken, left.events_taken)
        said.append(
            _l(
                "You now run %(what)s that had no one else: you can add someone else on "
                "each one's page.",
                what=taken,
            )
        )
    return " ".join(str(part) for part in said)


@bp.route("/admin/accounts/<int:account_id>/pause", methods=["GET", "POST"])
@role_required("admin")
@fresh_login_required
def pause_account(account_id: int):
    """Pause an account (every session ends, sign-in is refused) once confirmed on this
    page (GET asks; the POST needs confirm=yes), or resume it from the list; audited."""
    if request.method == "GET":
        target = account_or_404(account_id)
        form = forms.PauseForm(formdata=None)
        own = target.id == current_user.id
        return render_template("staff/pause.html", target=target, form=form, own=own)
    form = forms.PauseForm()
    if form.validate_on_submit() and form.action.data == "pause" and form.confirm.data != "yes":
        flash(_l("An account is paused only once you confirm it on this page."), "error")
        return redirect(url_for("staff.pause_account", account_id=account_id), code=303)
    act = standing.pause if form.action.data == "pause" else standing.resume
    return account_action(
        form, lambda: act(current_user, account_id, now=clock.now()), paused, shown=account_id
    )


def paused(target: Account) -> str:
    """Say whether the account is now paused or can sign in again."""
    if target.paused_at is not None:
        return _l("%(name)s is paused and signed out everywhere.", name=target.pseudonym)
    return _l("%(name)s can sign in again.", name=target.pseudonym)


@bp.route("/admin/accounts/<int:account_id>/remove", methods=["GET", "POST"])
@role_required("admin")
@fresh_login_required
def remove_account(account_id: int):
    """Remove an account and everything linked to it, after typing its pseudonym."""
    target = db.session.get(Account, account_id)
    if target is None:
        abort(404)
    form = forms.RemoveForm()
    if form.validate_on_submit():
        try:
            standing.remove(current_user, account_id, confirm=form.pseudonym.data, now=clock.now())
        except AccountError as error:
            db.session.rollback()
            form.pseudonym.errors.append(error.message)
        else:
            db.session.commit()
            privacy.erase_traces()  # no copy of its rows may linger in the SQLite log
            flash(_l("The account and everything linked to it are deleted."), "success")
            return redirect(url_for("staff.admin_home"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/remove.html",
        form=form,
        target=target,
        own=target.id == current_user.id,
        days=rule_for("retired_name").days,
    ), status


@bp.get("/admin/audit")
@role_required("admin")
def audit():
    """Show the audit log, newest first."""
    rows = services.audit_page(page_arg("before"))
    entries, more = rows[: services.PAGE_SIZE], len(rows) > services.PAGE_SIZE
    return render_template("staff/audit.html", entries=entries, more=more, line=audit_line)
