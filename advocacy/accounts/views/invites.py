"""Invite codes: create one within the role's rights (shown once)."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_login import current_user, fresh_login_required

from advocacy import clock
from advocacy.accounts import forms
from advocacy.accounts import invites as invite_rules
from advocacy.accounts.errors import AccountError
from advocacy.accounts.views.common import bp
from advocacy.extensions import db
from advocacy.security import role_required


@bp.route("/invites", methods=["GET", "POST"])
@role_required("mentor", "staff", "admin")
@fresh_login_required
def invites():
    """Create an invite code within the role's rights; the code is shown once."""
    form = forms.InviteForm()
    form.set_role_choices(current_user.role)
    code = None
    if form.validate_on_submit():
        try:
            code = invite_rules.create_invite(
                role=form.role.data,
                uses=form.uses.data,
                expires_in=timedelta(days=form.days.data),
                now=clock.now(),
                inviter=current_user,
            )
        except AccountError as error:
            db.session.rollback()
            form.role.errors.append(error.message)
        else:
            db.session.commit()
    return render_template(
        "accounts/invites.html",
        form=form,
        code=code,
        role=form.role.data,
        uses=form.uses.data,
        days=form.days.data,
    )
