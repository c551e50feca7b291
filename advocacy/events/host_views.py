"""Choosing who runs a program or an event, the views' side: one body for both kinds.

events/views.py and programs/views.py route here with what they loaded, their own
rules module, `rules` (events/hosts.py or programs/hosts.py, which have the same
functions: hosts, may_choose_hosts, add_host, remove_host), and `at`: their blueprint's
name and the address arguments of the page (`show`) and its `leave_hosts` route. The
rules are theirs; these parse the form, call one of them, commit or roll back, flash and
redirect.

- Adding a co-host who already helps run it says so calmly, and writes nothing.
- Removing someone else is one tap. Removing yourself is asked first, on a page of its
  own (the leave page) whose button sends confirm=yes, so it works without JavaScript; a
  remove request naming yourself is sent to that page, nothing written. The last person
  who runs it is never removed (HostTable.remove).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock
from advocacy.events.forms import ConfirmForm, HostForm
from advocacy.events.hosts import HostAdded, HostError
from advocacy.extensions import db


@dataclass(frozen=True)
class At:
    """Where one program or event is: its blueprint ("events", "programs") and the address
    arguments of its routes (e.g. {"program_id": 7})."""

    blueprint: str
    ids: dict[str, int]

    @property
    def page(self) -> str:
        return url_for(f"{self.blueprint}.show", **self.ids)

    @property
    def leave(self) -> str:
        return url_for(f"{self.blueprint}.leave_hosts", **self.ids)


def no_longer_runs(removed) -> str:
    """Say that someone (an account, or None if it is gone) no longer runs it."""
    if removed is None:
        return _l("That person no longer runs this.")
    return _l("%(name)s no longer runs this.", name=removed.pseudonym)


def added_said(added: HostAdded) -> tuple[str, str]:
    """The message (and its kind) after adding a co-host: done, or they already were one."""
    if added.is_new:
        return _l("%(name)s now helps run this.", name=added.account.pseudonym), "success"
    if added.account.id == current_user.id:
        return _l("You already help run this. Nothing was changed."), "info"
    return _l(
        "%(name)s already helps run this. Nothing was changed.", name=added.account.pseudonym
    ), "info"


def add(rules: ModuleType, thing, at: At, again) -> ResponseReturnValue:
    """Add the co-host the form names; then back to its page. A form error or a refusal:
    `again(form)`, the page with the error next to the field, as a 400."""
    form = HostForm()
    if form.validate_on_submit():
        try:
            added = rules.add_host(current_user, thing, form.pseudonym.data, now=clock.now())
        except HostError as error:
            db.session.rollback()
            form.pseudonym.errors.append(error.message)
        else:
            db.session.commit()
            flash(*added_said(added))
            return redirect(at.page, 303)
    return again(form), 400


def remove(rules: ModuleType, thing, account_id: int, at: At) -> BaseResponse:
    """Remove someone else who runs it, then back to its page; yourself: to the leave page."""
    if account_id == current_user.id:
        return redirect(at.leave, 303)
    try:
        removed = rules.remove_host(current_user, thing, account_id, now=clock.now())
    except HostError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(no_longer_runs(removed), "success")
    return redirect(at.page, 303)


def leave(rules: ModuleType, thing, at: At) -> ResponseReturnValue:
    """Stop running it yourself (the caller has loaded `thing` as the viewer may see it).

    GET: the question, with who would still run it; the only one who runs it is told to
    add someone first, and an admin who is not one of its hosts that there is nothing to
    stop, with no button. POST: done once confirmed (confirm=yes), then back to its page;
    not confirmed, or refused (the last one): back to the question; sent by someone who
    is not one of its hosts (a second tap after it was done): a calm word, nothing
    written. Anyone else who may not choose its hosts (other staff, a co-host): 404, as
    for removing anyone.
    """
    people = rules.hosts(thing)
    hosting = current_user.id in {account_id for account_id, _ in people}
    if request.method == "POST" and not hosting:
        flash(_l("You don't help run this now. Nothing was changed."), "info")
        return redirect(at.page, 303)
    if not rules.may_choose_hosts(current_user, thing):
        abort(404)
    if request.method == "GET":
        return render_template(
            "events/leave_hosts.html",
            title=thing.title,
            hosting=hosting,
            others=[name for account_id, name in people if account_id != current_user.id],
            page=at.page,
            action=at.leave,
        )
    if not ConfirmForm().validate_on_submit():
        flash(_l("You stop running it only once you confirm on this page."), "error")
        return redirect(at.leave, 303)
    try:
        rules.remove_host(current_user, thing, current_user.id, now=clock.now())
    except HostError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(at.leave, 303)
    db.session.commit()
    flash(_l("You no longer help run “%(title)s”.", title=thing.title), "success")
    return redirect(at.page, 303)
