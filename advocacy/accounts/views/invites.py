"""Invite codes: create one within the role's rights (shown once), list and revoke open ones."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, fresh_login_required

from advocacy import clock
from advocacy.accounts import forms
from advocacy.accounts import invites as invite_rules
from advocacy.accounts.errors import AccountError
from advocacy.accounts.role_words import ROLE_WORDS
from advocacy.accounts.views.common import bp
from advocacy.extensions import db
from advocacy.once import once
from advocacy.security import role_required
from advocacy.templating import local_day

# Its code was shown once, in the answer to the first copy of the form.
INVITE_MADE_ALREADY = _l(
    "That was already sent, and the invite is made. Its code is shown only once: if you "
    "didn't see it, revoke that invite below and make another."
)


@bp.route("/invites", methods=["GET", "POST"])
@role_required("mentor", "staff", "admin")
@fresh_login_required
@once(then="accounts.invites", said=INVITE_MADE_ALREADY)
def invites():
    """Create an invite code within the role's rights (shown once); list the open ones."""
    form = forms.InviteForm()
    form.set_role_choices(current_user.role)
    now = clock.now()
    created = None
    if form.validate_on_submit():
        expires_in = timedelta(days=form.days.data)
        try:
            code = invite_rules.create_invite(
                role=form.role.data,
                uses=form.uses.data,
                expires_in=expires_in,
                now=now,
                inviter=current_user,
            )
        except AccountError as error:
            db.session.rollback()
            form.role.errors.append(error.message)
        else:
            db.session.commit()
            created = {
                "code": code,
                "role": forms.ROLE_LABELS[form.role.data],
                "uses": form.uses.data,
                "expires_on": local_day(now + expires_in),
            }
    rows = invite_rules.open_invites(current_user, now=now)
    return render_template(
        "accounts/invites.html",
        form=form,
        created=created,
        open_invites=rows[: invite_rules.OPEN_INVITES_SHOWN],
        more=len(rows) > invite_rules.OPEN_INVITES_SHOWN,
        role_labels=forms.ROLE_LABELS,
        role_words=ROLE_WORDS,
    )


@bp.post("/invites/<int:invite_id>/revoke")
@role_required("mentor", "staff", "admin")
def revoke_invite(invite_id: int):
    """Stop an open invite working (its creator, or an admin; anyone else gets 404)."""
    if invite_rules.revoke_invite(current_user, invite_id) is None:
        abort(404)
    db.session.commit()
    flash(_l("The invite is revoked. Nobody can join with it now."), "success")
    return redirect(url_for("accounts.invites"), code=303)
