"""What the account page says the site holds about a member: every line, its count and
when it goes, in English and in Spanish, and in the singular when a period is one day.

The periods are DESIGN §4's (tests/privacy/test_rules_unit.py): accounts 548 days after
the last sign-in, story drafts 180 days, declined stories 30, reports 90 after a decision,
RSVPs 30 after the event, places in programs 365 after the program ends, notices 90.
The counts are the subject's rows in the shared world (tests/support/privacy_world.py);
the other account holds as many of each, which no line counts.
"""

from __future__ import annotations

from flask_babel import force_locale

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.registry import Held
from advocacy.programs import services as programs
from tests.support.privacy_world import NOW
from tests.support.programs import make_program

# Last sign-in 2026-11-20, plus 548 days: 40 left in 2026, 365 in 2027, 143 into leap 2028.
ACCOUNT_GOES = {"en": "21 May 2028", "es": "21 de mayo de 2028"}  # i18n.say_day's "date"


def lines(app, account_id: int, locale: str = "en") -> list[Held]:
    with app.test_request_context(), force_locale(locale):
        return registry.summarize_account(db.session.get(Account, account_id))


def ask_for_places(app, subject: int) -> None:
    """The subject, the other account and a bystander each ask for a place that staff
    must approve: a request, not a place, for each."""
    with app.app_context():
        staff_id, other_id, bystander_id = (
            db.session.scalar(db.select(Account.id).where(Account.pseudonym == name))
            for name in ("maple-staff", "heron-other", "cedar-bystander")
        )
    program = make_program(app, staff_id, title="Asked for", now=NOW, needs_approval=True)
    with app.app_context():
        for account_id in (subject, other_id, bystander_id):
            programs.enroll(db.session.get(Account, account_id), program.id, now=NOW)
        db.session.commit()


def test_every_line_of_what_we_hold_in_english(app, subject):
    ask_for_places(app, subject)
    program_rule = "365 days after each program ends (only counts stay)"
    assert lines(app, subject) == [
        Held("Notices", 8, "90 days after they were sent; you can dismiss one sooner"),
        Held(
            "Your account (pseudonym, password hash, settings, last sign-in date)",
            1,
            f"on {ACCOUNT_GOES['en']} unless you sign in before then, or when you delete it",
        ),
        Held(
            "Unused recovery codes (scrambled)", 10, "with your account, or when you make new ones"
        ),
        Held("RSVPs to events", 1, "30 days after each event ends (only a count stays)"),
        Held("Places in programs, with completion", 1, program_rule),
        Held(
            "Requests for a place in a program (waiting for staff to decide, or on a waiting list)",
            1,
            program_rule,
        ),
        Held("Sessions of programs you marked done", 1, program_rule),
        Held("Program meetings with your attendance recorded (came or not)", 2, program_rule),
        Held(
            "Your stories, drafts included",
            3,
            "when you withdraw them or delete your account; drafts you never submit 180 days "
            "after your last edit, declined stories 30 days after the decision (changes to a "
            "published story too: the published version stays)",
        ),
        Held("Reports you made", 1, "90 days after a mentor decides"),
    ]


def test_every_line_in_spanish(app, subject):
    program_rule = "365 días después de que termina cada programa (solo quedan conteos)"
    assert lines(app, subject, "es") == [
        Held("Avisos", 8, "90 días después de enviarse; puedes descartar uno antes"),
        Held(
            "Tu cuenta (seudónimo, contraseña codificada, configuración, fecha de tu última "
            "entrada)",
            1,
            f"el {ACCOUNT_GOES['es']} si no entras antes, o cuando la borres",
        ),
        Held(
            "Códigos de recuperación sin usar (codificados)",
            10,
            "junto con tu cuenta, o cuando crees códigos nuevos",
        ),
        Held(
            "Confirmaciones de asistencia a eventos",
            1,
            "30 días después de que termina cada evento (solo queda un conteo)",
        ),
        Held("Cupos en programas, con la finalización", 1, program_rule),
        Held(
            "Solicitudes de cupo en un programa (esperando la decisión del equipo, o en lista "
            "de espera)",
            0,
            program_rule,
        ),
        Held("Sesiones de programas que marcaste como hechas", 1, program_rule),
        Held(
            "Reuniones de programas con tu asistencia registrada (si asististe o no)",
            2,
            program_rule,
        ),
        Held(
            "Tus historias, borradores incluidos",
            3,
            "cuando las retiras o borras tu cuenta; los borradores que nunca envías, 180 días "
            "después de tu última edición; las historias rechazadas, 30 días después de la "
            "decisión (también los cambios a una historia publicada: la versión publicada se "
            "queda)",
        ),
        Held(
            "Reportes que hiciste",
            1,
            "90 días después de que una persona mentora decide",
        ),
    ]


ONE_DAY = {
    "RETENTION_DRAFT_DAYS": 1,
    "RETENTION_DECLINED_STORY_DAYS": 1,
    "RETENTION_REPORT_DAYS": 1,
    "RETENTION_RSVP_DAYS": 1,
    "RETENTION_ENROLLMENT_DAYS": 1,
}


def test_a_period_of_one_day_is_said_in_the_singular(app, subject, monkeypatch):
    for setting, days in ONE_DAY.items():
        monkeypatch.setitem(app.config, setting, days)
    goes = {held.what: held.goes for held in lines(app, subject)}
    assert goes["RSVPs to events"] == "1 day after each event ends (only a count stays)"
    assert goes["Places in programs, with completion"] == (
        "1 day after each program ends (only counts stay)"
    )
    assert goes["Reports you made"] == "1 day after a mentor decides"
    assert goes["Your stories, drafts included"] == (
        "when you withdraw them or delete your account; drafts you never submit 1 day after "
        "your last edit, declined stories 1 day after the decision (changes to a published "
        "story too: the published version stays)"
    )
    goes = {held.count: held.goes for held in lines(app, subject, "es") if held.count == 3}
    assert goes == {
        3: "cuando las retiras o borras tu cuenta; los borradores que nunca envías, 1 día "
        "después de tu última edición; las historias rechazadas, 1 día después de la decisión "
        "(también los cambios a una historia publicada: la versión publicada se queda)"
    }
