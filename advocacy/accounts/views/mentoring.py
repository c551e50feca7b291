"""The eligible member's answer about becoming a peer mentor (the account page's section)."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from advocacy.accounts import forms, mentoring
from advocacy.accounts.views.common import bp
from advocacy.accounts.views.settings import account_page
from advocacy.domain import attempt

SAID = {
    True: _l(
        "Thank you. Admins can now see that you are interested; you will get a notice here "
        "if they make you a mentor. You can change your answer at any time."
    ),
    False: _l("Saved: not now. You can change your answer at any time."),
}


@bp.post("/account/mentoring")
@login_required
def mentoring_answer():
    """Save the eligible member's answer, "I'm interested" or "Not now"."""
    form = forms.MentoringForm()
    if not form.validate_on_submit():
        return account_page(mentoring=form), 400
    interested = forms.MENTORING_ANSWERS[form.answer.data]
    attempt(lambda: mentoring.say_interest(current_user, interested), success=SAID[interested])
    return redirect(url_for("accounts.account", _anchor="mentoring"), code=303)
