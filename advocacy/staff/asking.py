"""What the admins' account actions say before they are done (issue 16: nothing
irreversible by accident, asked on a page of its own; it works without JavaScript).

Making a mentor and changing a role end every session of the account, take away what
its old role allowed and, for someone who ran programs or events, their place running
them, which is not given back. So the accounts list's buttons lead to a page (GET) that
says what will happen and changes nothing; its button (POST) does it (staff/views.py).

A `Question` is that page: its question, what will happen (one line each), the button,
and the form values the button sends; or, when the action cannot be done, the calm
reason in place of the button (the same words the action itself refuses with).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from advocacy.accounts.models import Account, Role
from advocacy.accounts.role_words import role_word
from advocacy.notices.hosting import programs_and_events
from advocacy.staff import pathway, roles

# What each role lets an account do (DESIGN §2), said before it is given.
ROLE_GIVES = {
    Role.MEMBER: _l(
        "As a member they take part in programs, events and stories, and nothing more: "
        "whatever their present role lets them do beyond that stops at once."
    ),
    Role.MENTOR: _l("As a mentor they can review stories and reports, and invite new members."),
    Role.STAFF: _l(
        "As staff they can run programs and events and see who comes, read reports, invite "
        "members and mentors, and make reset codes for members and mentors."
    ),
    Role.ADMIN: _l(
        "As an admin they can do everything: change anyone's role (yours too), pause and "
        "remove accounts, read the audit log, and run every program and event."
    ),
}
# Roles held at second-factor setup until they have one (accounts/sessions.py).
SECOND_FACTOR_ROLES = (Role.MENTOR, Role.STAFF, Role.ADMIN)
SIGNED_OUT = _l(
    "They are signed out everywhere at once, and any reset code made for them stops working."
)
TOLD = _l("They are told in a notice, and it is recorded in the audit log.")


@dataclass(frozen=True)
class Question:
    """One confirmation page: `refusal` set means no button (the reason instead)."""

    question: str
    lines: list[str] = field(default_factory=list)
    button: str = ""
    values: dict[str, str] = field(default_factory=dict)
    refusal: str | None = None


def making_mentor(target: Account) -> Question:
    """The page before making `target` a mentor (staff/pathway.py make_mentor)."""
    question = _l("Make %(name)s a mentor?", name=target.pseudonym)
    refused = pathway.refusal(target)
    if refused is not None:
        return Question(question, refusal=refused)
    return Question(
        question,
        [
            _l(
                "%(name)s completed a leadership program and said they would like to mentor.",
                name=target.pseudonym,
            ),
            ROLE_GIVES[Role.MENTOR],
            _l(
                "They are signed out everywhere at once. When they next sign in they set up "
                "a second factor if they have none, then read a short page on how "
                "moderation works here."
            ),
            TOLD,
        ],
        button=_l("Yes, make them a mentor"),
    )


def changing_role(actor: Account, target: Account, role: str) -> Question:
    """The page before giving `target` the role `role` (a Role value; staff/roles.py
    change_role), with the programs and events it would stop running."""
    word = role_word(role)
    question = _l("Change the role of %(name)s to %(role)s?", name=target.pseudonym, role=word)
    if target.id == actor.id:
        return Question(question, refusal=_l("You can't change your own role. Ask another admin."))
    if target.role == role:
        return Question(
            question,
            refusal=_l(
                "The role of %(name)s is already %(role)s. Nothing to change.",
                name=target.pseudonym,
                role=word,
            ),
        )
    lines = [ROLE_GIVES[role], SIGNED_OUT]
    if role in SECOND_FACTOR_ROLES:
        lines.append(_l("When they next sign in they set up a second factor if they have none."))
    left = roles.letting_go(target, role)
    if left.programs or left.events:
        lines.append(
            _l(
                "They no longer help run %(what)s, and being given the role again later "
                "does not give that back.",
                what=programs_and_events(left.programs, left.events),
            )
        )
    if left.programs_taken or left.events_taken:
        lines.append(
            _l(
                "You will run %(what)s that had no one else; you can hand each one to "
                "someone else from its page.",
                what=programs_and_events(left.programs_taken, left.events_taken),
            )
        )
    lines.append(TOLD)
    return Question(question, lines, _l("Yes, change the role"), {"role": role})
