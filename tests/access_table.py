"""Who may reach what: every endpoint x role, checked by tests/test_access.py (DESIGN §2).

Every endpoint in app.url_map must have a row here, so a new route fails the
suite until someone decides who may use it. A row says, for each method the
endpoint answers, what each role gets from one request:

- GET for every endpoint that answers GET;
- POST with an *empty* form for every endpoint that answers POST. A refused
  role must be turned away (403, or sent to sign in) before any validation,
  so the empty form tells "let in" (the form's own answer) from "refused".

Roles are signed in as the tests' `make_account` creates them: a member
without a second factor, and mentor, staff and admin with one (so they are not
held at second-factor setup; tests/test_access.py checks that state separately).

Cells are `Expect` values. Their `outcome` is the decision the cell records:
"ok" (let in; the endpoint's own answer), "login" (Flask-Login sends the
visitor to /login and keeps the address in the session) or "forbidden" (403).
`status` and `location` make "ok" precise per endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anon", "member", "mentor", "staff", "admin")
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Expect:
    """What one request as one role must get."""

    status: int
    location: str | None = None  # where a redirect must point (path, or URL off-site)
    outcome: str = "ok"


# Decisions.
LOGIN = Expect(302, "/login", outcome="login")  # anonymous: sign in first
FORBIDDEN = Expect(403, outcome="forbidden")  # signed in, but the role may not
# "ok" answers.
OK = Expect(200)  # the page (or, for an empty POST, the form again with its errors)
REFUSED_INPUT = Expect(400)  # let in; the empty form failed validation (views answer 400)
HOME = Expect(302, "/")  # /join and /login send a signed-in account home
NOTHING_PENDING = Expect(404)  # let in; there is no pending second-factor secret to draw
# The endpoint's own redirect to /login, not Flask-Login's (no address is kept).
SIGN_IN_AGAIN = Expect(302, "/login")
EXIT_URL = "https://www.weather.com/"  # Config.EXIT_URL, unchanged in TestConfig
# Let in, but the object is not theirs to see: 404, never a hint that it exists.
NOT_YOURS = Expect(404, outcome="hidden")


def author_only(expect: Expect) -> dict:
    """Only the story's author (the member) gets `expect`; others get 404; visitors sign in."""
    return row(LOGIN, expect, NOT_YOURS, NOT_YOURS, NOT_YOURS)


def moderators(expect: Expect = OK) -> dict:
    """DESIGN §2: mentors and admins moderate; members and staff are refused."""
    return row(LOGIN, FORBIDDEN, expect, FORBIDDEN, expect)


def row(anon: Expect, member: Expect, mentor: Expect, staff: Expect, admin: Expect) -> dict:
    return {"anon": anon, "member": member, "mentor": mentor, "staff": staff, "admin": admin}


def everyone(expect: Expect) -> dict:
    return row(expect, expect, expect, expect, expect)


def signed_in(expect: Expect) -> dict:
    """Anonymous visitors must sign in; every signed-in role gets `expect`."""
    return row(LOGIN, expect, expect, expect, expect)


def from_role(lowest: str, expect: Expect = OK) -> dict:
    """Roles from `lowest` up get `expect`; lower roles are refused; visitors sign in."""
    allowed = SIGNED_IN[SIGNED_IN.index(lowest) :]
    cells = {role: (expect if role in allowed else FORBIDDEN) for role in SIGNED_IN}
    return {"anon": LOGIN, **cells}


@dataclass(frozen=True)
class Route:
    """One endpoint: an example path and the expected answer per method and role.

    `path` may hold `{member_id}` (filled in at test time with a real account id), and
    `{story_id}`, `{pending_id}`, `{reported_id}`: the member's published public story,
    pending story and reported story (tests/support/stories.py access_objects);
    `{invite_id}` and `{reset_code_id}`: an invite and a reset code (for the member) that
    the staff account made; `{eligible_id}`: a member eligible to mentor who said they are
    interested; `{enrollment_id}`: a confirmed place in the staff account's program;
    `{course_id}`, `{session_id}`: another program of the staff account's, in which nobody
    has a place, and its one session;
    `{notice_id}`: a notice of the member's about the meeting; `{resource_id}`: a help
    resource for members only, with text and an outside link (tests/support/matrix.py
    all_objects).
    `before` lists requests the same client sends first, to reach a state the
    endpoint's normal answer needs.
    """

    path: str
    get: dict[str, Expect] | None = None
    post: dict[str, Expect] | None = None
    before: tuple[tuple[str, str], ...] = field(default=())

    @property
    def methods(self) -> frozenset[str]:
        return frozenset(m for m, cells in (("GET", self.get), ("POST", self.post)) if cells)

    def expect(self, method: str) -> dict[str, Expect]:
        return {"GET": self.get, "POST": self.post}[method]


def stop_running(page: str) -> Route:
    """Stopping running a program or an event yourself (`page`: its page). GET: the question
    for its creator, the matrix's staff account and the only one who runs it (so with no
    button: someone else must be added first); for an admin who is not one of its hosts, a
    page saying there is nothing to stop. An empty POST (no confirm=yes): the staff account
    is sent back to the question; the admin, not one of its hosts, gets a calm word on its
    page, and nothing is written."""
    return Route(
        page + "/hosts/leave",
        get=from_role("staff"),
        post=row(
            LOGIN,
            FORBIDDEN,
            FORBIDDEN,
            Expect(303, page + "/hosts/leave"),
            Expect(303, page),
        ),
    )


def marking(action: str) -> Route:
    """Marking a session done or taking the mark back (`action`: its path's last part):
    a member's, so only one with a confirmed place is let in among members and mentors
    (the matrix's have none: 404); those who run the program get in and are told calmly,
    on the session's page, that they have no place."""
    session = "/programs/{course_id}/sessions/{session_id}"
    back = Expect(303, session)
    return Route(f"{session}/{action}", post=row(LOGIN, NOT_YOURS, NOT_YOURS, back, back))


ACCESS = {
    # Public pages: anyone, signed in or not.
    "pages.home": Route("/", get=everyone(OK)),
    "pages.safety": Route("/safety", get=everyone(OK)),
    "pages.healthz": Route("/healthz", get=everyone(OK)),
    # Another language for the site: anyone; an empty form names none (400).
    "pages.language": Route("/language", post=everyone(REFUSED_INPUT)),
    "privacy.privacy_page": Route("/privacy", get=everyone(OK)),
    "static": Route("/static/css/site.css", get=everyone(OK)),
    # Quick exit works for everyone and always leaves for the neutral site (DESIGN §5).
    "accounts.quick_exit": Route("/exit", get=everyone(Expect(303, EXIT_URL))),
    # Visitors only (DESIGN §2: join with an invite code, log in).
    "accounts.join": Route(
        "/join",
        get=row(OK, HOME, HOME, HOME, HOME),
        post=row(OK, HOME, HOME, HOME, HOME),
    ),
    "accounts.login": Route(
        "/login",
        get=row(OK, HOME, HOME, HOME, HOME),
        post=row(OK, HOME, HOME, HOME, HOME),
    ),
    # Without a password step just done there is no code to ask for; signed in already
    # (Back, an old tab): home, as from /login.
    "accounts.login_second_factor": Route(
        "/login/code",
        get=row(SIGN_IN_AGAIN, HOME, HOME, HOME, HOME),
        post=row(SIGN_IN_AGAIN, HOME, HOME, HOME, HOME),
    ),
    # The lost-phone form of the code step: only after the password step, like the code itself.
    "accounts.login_recovery_code": Route(
        "/login/recovery-code", post=row(SIGN_IN_AGAIN, HOME, HOME, HOME, HOME)
    ),
    # Recovery needs no session; a signed-in account may use it too (it ends the session).
    "accounts.recover": Route("/recover", get=everyone(OK), post=everyone(OK)),
    # Every signed-in account: its own settings.
    "accounts.account": Route("/account", get=signed_in(OK)),
    "notices.index": Route("/notices", get=signed_in(OK)),
    "notices.mark_read": Route("/notices/read", post=signed_in(Expect(303, "/notices"))),
    # The matrix's notice is the member's, about the matrix's meeting. Opening it marks it
    # read and goes there; dismissing deletes it. To anyone else it does not exist. (Open
    # comes first: once dismissed, the member's notice is gone too.)
    "notices.open_notice": Route(
        "/notices/{notice_id}/open",
        post=row(LOGIN, Expect(303, "/events/{occurrence_id}"), NOT_YOURS, NOT_YOURS, NOT_YOURS),
    ),
    "notices.dismiss": Route(
        "/notices/{notice_id}/dismiss",
        post=row(LOGIN, Expect(303, "/notices"), NOT_YOURS, NOT_YOURS, NOT_YOURS),
    ),
    "accounts.logout": Route("/logout", post=signed_in(Expect(303, "/signed-out"))),
    "accounts.logout_everywhere": Route(
        "/account/logout-everywhere", post=signed_in(Expect(303, "/signed-out?reason=everywhere"))
    ),
    "accounts.signed_out": Route("/signed-out", get=everyone(OK)),
    "accounts.change_password": Route("/account/password", post=signed_in(REFUSED_INPUT)),
    "accounts.change_preferences": Route("/account/preferences", post=signed_in(REFUSED_INPUT)),
    "accounts.change_pseudonym": Route("/account/pseudonym", post=signed_in(REFUSED_INPUT)),
    "accounts.new_recovery_codes": Route("/account/recovery-codes", post=signed_in(REFUSED_INPUT)),
    # Codes are shown only while their seed is in the session; without one: the account page.
    "accounts.recovery_codes": Route(
        "/account/recovery-codes", get=signed_in(Expect(302, "/account"))
    ),
    # An unticked box is a valid answer: the same codes are shown again (redirect after POST).
    "accounts.confirm_recovery_codes": Route(
        "/account/recovery-codes/confirm",
        post=signed_in(Expect(303, "/account/recovery-codes")),
    ),
    "accounts.staff_resets": Route("/account/staff-resets", post=signed_in(REFUSED_INPUT)),
    # The mentor pathway's answer: an empty form is refused (400) before the service says
    # whether this account may answer at all.
    "accounts.mentoring_answer": Route("/account/mentoring", post=signed_in(REFUSED_INPUT)),
    "accounts.reauthenticate": Route("/account/confirm", get=signed_in(OK), post=signed_in(OK)),
    # fresh_login_required: a just-signed-in session is fresh.
    "accounts.export": Route("/account/export", get=signed_in(OK), post=signed_in(OK)),
    "accounts.delete": Route("/account/delete", get=signed_in(OK), post=signed_in(OK)),
    "accounts.two_factor_setup": Route(
        "/account/two-factor", get=signed_in(OK), post=signed_in(OK)
    ),
    "accounts.two_factor_start": Route(
        "/account/two-factor/start", post=signed_in(Expect(303, "/account/two-factor"))
    ),
    # Members turn setup on first, so a secret is pending; the others already have 2FA on.
    "accounts.two_factor_qr": Route(
        "/account/two-factor/qr.svg",
        get=row(LOGIN, OK, NOTHING_PENDING, NOTHING_PENDING, NOTHING_PENDING),
        before=(("POST", "/account/two-factor/start"),),
    ),
    # Members only turn it off; others are refused by the service, after the password check.
    "accounts.two_factor_off": Route("/account/two-factor/off", post=signed_in(REFUSED_INPUT)),
    # Invite codes: mentor, staff, admin (each within its own rights).
    "accounts.invites": Route("/invites", get=from_role("mentor"), post=from_role("mentor")),
    # The matrix's invite is the staff account's: its creator and admins revoke it (again and
    # again: revoking twice is no error); to the mentor it does not exist.
    "accounts.revoke_invite": Route(
        "/invites/{invite_id}/revoke",
        post=row(LOGIN, FORBIDDEN, NOT_YOURS, Expect(303, "/invites"), Expect(303, "/invites")),
    ),
    # Events (DESIGN §2): members browse, RSVP and cancel; staff schedule and change.
    "events.index": Route("/events", get=signed_in(OK)),
    "events.show": Route("/events/{occurrence_id}", get=signed_in(OK)),
    "events.ics": Route("/events/{occurrence_id}.ics", get=signed_in(OK)),
    "events.series_ics": Route("/events/{occurrence_id}/series.ics", get=signed_in(OK)),
    # RSVP answers (confirmed, waiting, or a calm "already"/"closed") come back to the page.
    "events.rsvp": Route(
        "/events/{occurrence_id}/rsvp", post=signed_in(Expect(303, "/events/{occurrence_id}"))
    ),
    # Cancelling asks first on a page of its own (GET), then does it (POST).
    "events.cancel_rsvp": Route(
        "/events/{occurrence_id}/rsvp/cancel",
        get=signed_in(OK),
        post=signed_in(Expect(303, "/events/{occurrence_id}")),
    ),
    # The same for every meeting of the series still to come, in one step.
    "events.rsvp_series": Route(
        "/events/{occurrence_id}/rsvp-series",
        post=signed_in(Expect(303, "/events/{occurrence_id}")),
    ),
    "events.cancel_series_rsvps": Route(
        "/events/{occurrence_id}/rsvp-series/cancel",
        get=signed_in(OK),
        post=signed_in(Expect(303, "/events/{occurrence_id}")),
    ),
    "events.new": Route(
        "/events/new", get=from_role("staff"), post=from_role("staff", REFUSED_INPUT)
    ),
    "events.edit": Route(
        "/events/{occurrence_id}/edit",
        get=from_role("staff"),
        post=from_role("staff", REFUSED_INPUT),
    ),
    "events.cancel": Route(
        "/events/{occurrence_id}/cancel",
        get=from_role("staff"),
        post=from_role("staff", Expect(303, "/events/{occurrence_id}")),
    ),
    # Every meeting still to come: a POST without confirm=yes asks again too.
    "events.cancel_series": Route(
        "/events/{occurrence_id}/cancel-series",
        get=from_role("staff"),
        post=from_role("staff", OK),
    ),
    # The matrix's staff account runs the event; admins see every event's attendees.
    "events.attendees": Route(
        "/events/{occurrence_id}/attendees", get=from_role("staff"), post=from_role("staff")
    ),
    # Co-hosts: the event's creator (the matrix's staff account) and admins choose them. An
    # empty pseudonym: the event page again with a calm message; removing someone who does
    # not run it (the member) changes nothing, back on the event page.
    "events.add_host": Route(
        "/events/{occurrence_id}/hosts", post=from_role("staff", REFUSED_INPUT)
    ),
    "events.remove_host": Route(
        "/events/{occurrence_id}/hosts/{member_id}/remove",
        post=from_role("staff", Expect(303, "/events/{occurrence_id}")),
    ),
    "events.leave_hosts": stop_running("/events/{occurrence_id}"),
    # Programs (DESIGN §2): members browse, enroll and withdraw; staff run them.
    "programs.index": Route("/programs", get=signed_in(OK)),
    "programs.show": Route("/programs/{program_id}", get=signed_in(OK)),
    "programs.enroll": Route(
        "/programs/{program_id}/enroll", post=signed_in(Expect(303, "/programs/{program_id}"))
    ),
    # Withdrawing asks on a page of its own (nothing to withdraw from: said calmly); an empty
    # POST confirms nothing and goes back to the question.
    "programs.withdraw": Route(
        "/programs/{program_id}/withdraw",
        get=signed_in(OK),
        post=signed_in(Expect(303, "/programs/{program_id}/withdraw")),
    ),
    # Removing an ended program from one's account asks on a page of its own (nothing to
    # remove, or not ended: said calmly); an empty POST goes back to the question.
    "programs.remove": Route(
        "/programs/{program_id}/remove",
        get=signed_in(OK),
        post=signed_in(Expect(303, "/programs/{program_id}/remove")),
    ),
    # GET: the member's letter page, where the completion notice leads. Nobody in the matrix
    # completed it: the page says so calmly; a POST, a calm message on the program page.
    "programs.letter": Route(
        "/programs/{program_id}/letter",
        get=signed_in(OK),
        post=signed_in(Expect(303, "/programs/{program_id}")),
    ),
    # The letter a session made, at its GET address: nobody made one here, so the letter
    # page (which says why).
    "programs.latest": Route(
        "/programs/{program_id}/letter/latest",
        get=signed_in(Expect(302, "/programs/{program_id}/letter")),
    ),
    "programs.letter_text": Route(
        "/programs/{program_id}/letter/latest.txt",
        get=signed_in(Expect(302, "/programs/{program_id}/letter")),
    ),
    # Sessions: the staff who run the program (the matrix's staff account) and admins; a
    # member with a confirmed place (the matrix's member has none: 404, as for anyone else).
    "programs.sessions": Route(
        "/programs/{course_id}/sessions", get=row(LOGIN, NOT_YOURS, NOT_YOURS, OK, OK)
    ),
    "programs.session": Route(
        "/programs/{course_id}/sessions/{session_id}",
        get=row(LOGIN, NOT_YOURS, NOT_YOURS, OK, OK),
    ),
    # Marks are a member's: those who run it get in, and are told calmly they have no place.
    "programs.mark_done": marking("done"),
    "programs.mark_not_done": marking("not-done"),
    "programs.new_session": Route(
        "/programs/{course_id}/sessions/new",
        get=from_role("staff"),
        post=from_role("staff", REFUSED_INPUT),
    ),
    "programs.edit_session": Route(
        "/programs/{course_id}/sessions/{session_id}/edit",
        get=from_role("staff"),
        post=from_role("staff", REFUSED_INPUT),
    ),
    # No direction chosen: a calm word on the sessions page, nothing moved.
    "programs.move_session": Route(
        "/programs/{course_id}/sessions/{session_id}/move",
        post=from_role("staff", Expect(303, "/programs/{course_id}/sessions")),
    ),
    # Deleting asks on a page of its own; an empty POST goes back to the question.
    "programs.delete_session": Route(
        "/programs/{course_id}/sessions/{session_id}/delete",
        get=from_role("staff"),
        post=from_role("staff", Expect(303, "/programs/{course_id}/sessions/{session_id}/delete")),
    ),
    # Anyone (an employer, say) may check a letter's code; it never says who holds it.
    "programs.verify": Route("/programs/verify", get=everyone(OK), post=everyone(OK)),
    "programs.new": Route(
        "/programs/new", get=from_role("staff"), post=from_role("staff", REFUSED_INPUT)
    ),
    "programs.edit": Route(
        "/programs/{program_id}/edit",
        get=from_role("staff"),
        post=from_role("staff", REFUSED_INPUT),
    ),
    "programs.roster": Route("/programs/{program_id}/roster", get=from_role("staff")),
    # An enrollment that isn't there: a calm message back on the roster.
    "programs.decide": Route(
        "/programs/{program_id}/roster/999999/approve",
        post=from_role("staff", Expect(303, "/programs/{program_id}/roster")),
    ),
    "programs.new_meeting": Route(
        "/programs/{program_id}/meetings/new",
        get=from_role("staff"),
        post=from_role("staff", REFUSED_INPUT),
    ),
    # Co-hosts, as for events: the program's creator (the matrix's staff account) and admins.
    "programs.add_host": Route(
        "/programs/{program_id}/hosts", post=from_role("staff", REFUSED_INPUT)
    ),
    "programs.remove_host": Route(
        "/programs/{program_id}/hosts/{member_id}/remove",
        post=from_role("staff", Expect(303, "/programs/{program_id}")),
    ),
    "programs.leave_hosts": stop_running("/programs/{program_id}"),
    # Completion of the program's member (it has not started: the page says so). An empty
    # form confirms nothing (a completion or its undoing): back to that page.
    "programs.completion_page": Route(
        "/programs/{program_id}/roster/{enrollment_id}/completion", get=from_role("staff")
    ),
    "programs.complete": Route(
        "/programs/{program_id}/roster/{enrollment_id}/complete",
        post=from_role(
            "staff", Expect(303, "/programs/{program_id}/roster/{enrollment_id}/completion")
        ),
    ),
    "programs.undo": Route(
        "/programs/{program_id}/roster/{enrollment_id}/undo",
        post=from_role(
            "staff", Expect(303, "/programs/{program_id}/roster/{enrollment_id}/completion")
        ),
    ),
    "programs.past_meeting": Route(
        "/programs/{program_id}/meetings/past",
        get=from_role("staff"),
        post=from_role("staff", REFUSED_INPUT),
    ),
    # Before the meeting starts: the page again with a calm message.
    "programs.attendance": Route(
        "/programs/{program_id}/meetings/{meeting_id}/attendance",
        get=from_role("staff"),
        post=from_role("staff"),
    ),
    # Staff tools: staff and admin.
    "staff.home": Route("/staff", get=from_role("staff")),
    "staff.reset_code": Route(
        "/staff/reset-codes", get=from_role("staff"), post=from_role("staff")
    ),
    # Four eyes on reset codes (the matrix's code is the staff account's, for the member).
    # Every answer, a refusal included (your own code, already decided), is a calm message
    # back on the waiting list.
    "staff.pending_reset_codes": Route("/staff/reset-codes/pending", get=from_role("staff")),
    "staff.approve_reset_code": Route(
        "/staff/reset-codes/{reset_code_id}/approve",
        post=from_role("staff", Expect(303, "/staff/reset-codes/pending")),
    ),
    "staff.withdraw_reset_code": Route(
        "/staff/reset-codes/{reset_code_id}/withdraw",
        post=from_role("staff", Expect(303, "/staff/reset-codes/pending")),
    ),
    # Reports: staff (the programs they run) and admins (every program and the whole site).
    "reports.index": Route("/staff/reports", get=from_role("staff")),
    "reports.download": Route("/staff/reports.csv", get=from_role("staff")),
    # Administration: admin only.
    "staff.admin_home": Route("/admin", get=from_role("admin")),
    # The mentor pathway's one action, asked first (GET: the page that says what it does;
    # the matrix's eligible member said they are interested). Made a mentor, or refused
    # calmly (already one): back on /admin.
    "staff.make_mentor": Route(
        "/admin/accounts/{eligible_id}/mentor",
        get=from_role("admin"),
        post=from_role("admin", Expect(303, "/admin")),
    ),
    "staff.audit": Route("/admin/audit", get=from_role("admin")),
    # Asked first (GET ?role=: the page that says what it does). No role named, or an
    # empty form, is refused with 400 (abort), after role and freshness checks.
    "staff.change_role": Route(
        "/admin/accounts/{member_id}/role",
        get=from_role("admin", REFUSED_INPUT),
        post=from_role("admin", REFUSED_INPUT),
    ),
    # Pause/resume: an empty form has no action, refused with 400 after role and freshness.
    "staff.pause_account": Route(
        "/admin/accounts/{member_id}/pause",
        get=from_role("admin"),
        post=from_role("admin", REFUSED_INPUT),
    ),
    # Removal asks for the pseudonym typed on its own page; an empty form is shown again.
    "staff.remove_account": Route(
        "/admin/accounts/{member_id}/remove",
        get=from_role("admin"),
        post=from_role("admin", REFUSED_INPUT),
    ),
    # Stories: published public stories for anyone; writing for every signed-in account.
    "stories.index": Route("/stories", get=everyone(OK)),
    "stories.show": Route("/stories/{story_id}", get=everyone(OK)),
    "stories.new": Route("/stories/new", get=signed_in(OK), post=signed_in(REFUSED_INPUT)),
    "stories.mine": Route("/stories/mine", get=signed_in(OK)),
    # Only the author edits, shares or withdraws; to anyone else the story does not exist.
    "stories.edit": Route(
        "/stories/{story_id}/edit", get=author_only(OK), post=author_only(REFUSED_INPUT)
    ),
    "stories.sharing": Route("/stories/{story_id}/sharing", post=author_only(REFUSED_INPUT)),
    "stories.withdraw": Route(
        "/stories/{story_id}/withdraw", get=author_only(OK), post=author_only(REFUSED_INPUT)
    ),
    "stories.report": Route(
        "/stories/{story_id}/report", get=signed_in(OK), post=signed_in(REFUSED_INPUT)
    ),
    # Choosing no warnings to hide is a valid answer.
    "stories.hidden_warnings": Route(
        "/account/warnings",
        get=signed_in(OK),
        post=signed_in(Expect(303, "/account/warnings")),
    ),
    # Help library (DESIGN §2: help pages are for everyone). {resource_id} is for members
    # only: to a visitor it does not exist. Staff and admins keep the library; members and
    # mentors are refused.
    "help.index": Route("/help", get=everyone(OK)),
    "help.grounding": Route("/help/grounding", get=everyone(OK)),
    "help.show": Route("/help/{resource_id}", get=row(NOT_YOURS, OK, OK, OK, OK)),
    "help.leave": Route("/help/{resource_id}/leave", get=row(NOT_YOURS, OK, OK, OK, OK)),
    "help.new": Route("/help/new", get=from_role("staff"), post=from_role("staff", REFUSED_INPUT)),
    "help.edit": Route(
        "/help/{resource_id}/edit", get=from_role("staff"), post=from_role("staff", REFUSED_INPUT)
    ),
    # Removing asks first on its own page; an empty form (no confirm=yes) is shown again.
    "help.remove": Route(
        "/help/{resource_id}/remove",
        get=from_role("staff"),
        post=from_role("staff", REFUSED_INPUT),
    ),
    # Moderation: mentors and admins (a mentor never decides on their own story).
    "moderation.queue": Route("/moderation", get=moderators()),
    "moderation.review": Route(
        "/moderation/stories/{pending_id}", get=moderators(), post=moderators(REFUSED_INPUT)
    ),
    "moderation.reports": Route(
        "/moderation/reports/{reported_id}", get=moderators(), post=moderators(REFUSED_INPUT)
    ),
    # The log of decisions, notes included (never who reported): every moderator reads it.
    "moderation.log": Route("/moderation/log", get=moderators()),
    # How moderation works here: a new mentor's first page, until they say they read it
    # (POST, then the queue); any moderator may reread it.
    "moderation.guide": Route(
        "/moderation/guide", get=moderators(), post=moderators(Expect(303, "/moderation"))
    ),
    # Stopping a story's author posting: reached from the story, so the author stays unnamed.
    "moderation.posting": Route(
        "/moderation/stories/{pending_id}/posting",
        get=moderators(),
        post=moderators(REFUSED_INPUT),
    ),
}
