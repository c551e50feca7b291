"""The audit log reads in the page's language: each action's label and the words of its
detail (role names, counts of programs, events and days) are said when the page is shown,
from what the entry stores (an action key and a detail in fixed English shapes). A detail
of another shape is shown as stored, and an unknown action as its key with spaces.

Expected words are written here from the rule and the Spanish catalogue's wording.
"""

from __future__ import annotations

import html
import re

import pytest

from advocacy.extensions import db
from advocacy.staff.models import AuditEntry

# (action, detail as the recording code stores it, English line, Spanish line)
KNOWN = [
    ("role_changed", "staff to member", "role changed (staff to member)",
     "rol cambiado (de equipo a integrante)"),
    ("hosts_removed", "3 programs, 1 event; taken over: 1 program",
     "hosts removed (3 programs and 1 event; taken over: 1 program)",
     "coordinación retirada (3 programas y 1 evento; asumidos: 1 programa)"),
    ("hosts_taken_over", "2 events", "hosts taken over (2 events)",
     "coordinación asumida (2 eventos)"),
    ("hosts_handed_over", "1 program, 2 events", "hosts handed over (1 program and 2 events)",
     "coordinación traspasada (1 programa y 2 eventos)"),
    ("hosts_left_unstaffed", "1 event", "hosts left unstaffed (1 event)",
     "coordinación sin equipo (1 evento)"),
    ("account_removed", "mentor", "account removed (mentor)",
     "cuenta eliminada (persona mentora)"),
    ("posting_stopped", "7 days", "posting stopped (7 days)",
     "permiso para publicar en pausa (7 días)"),
    ("posting_stopped", "1 days", "posting stopped (1 day)",
     "permiso para publicar en pausa (1 día)"),
    ("host_added", "program 12", "host added (program 12)",
     "persona coordinadora añadida (programa 12)"),
    ("host_removed", "event 3", "host removed (event 3)",
     "persona coordinadora quitada (evento 3)"),
    ("account_paused", "", "account paused", "cuenta en pausa"),
    ("account_resumed", "", "account resumed", "cuenta reanudada"),
    ("posting_stop_lifted", "", "posting stop lifted", "pausa para publicar levantada"),
    ("recovery_code_used", "", "recovery code used", "código de recuperación usado"),
    ("reset_code_issued", "", "reset code issued", "código de restablecimiento creado"),
    ("reset_code_approved", "", "reset code approved", "código de restablecimiento aprobado"),
    ("reset_code_withdrawn", "", "reset code withdrawn", "código de restablecimiento retirado"),
    ("reset_code_used", "", "reset code used", "código de restablecimiento usado"),
]  # fmt: skip


def words(lines) -> set[str]:
    return set(re.findall(r"[a-záéíóúñ]+", " ".join(lines)))


# The English lines' words (none of them Spanish: "mentor" is not "mentora").
ENGLISH = words(row[2] for row in KNOWN)


def what_cells(page: str) -> list[str]:
    """The "What" column's cells (label "What" or "Qué"), tags gone, newest first."""
    cells = re.findall(r'data-label="(?:What|Qué)">(.*?)</td>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in cells]


@pytest.fixture
def logged(app, clock):
    def write(rows):
        with app.app_context():
            for action, detail in rows:
                db.session.add(AuditEntry(action=action, detail=detail, created_at=clock()))
            db.session.commit()

    return write


@pytest.mark.parametrize(("language", "column"), [("en", 2), ("es", 3)])
def test_every_known_action_reads_in_the_page_s_language(
    client, auth, admin, logged, language, column
):
    logged([(action, detail) for action, detail, *_ in KNOWN])
    auth.login(admin)
    page = client.get("/admin/audit", headers={"Accept-Language": language})
    shown = what_cells(page.get_data(as_text=True))
    assert shown == [row[column] for row in reversed(KNOWN)]
    if language == "es":
        assert words(shown) & ENGLISH == set()


def test_a_detail_of_another_shape_or_an_unknown_action_is_shown_as_stored(
    client, auth, admin, logged
):
    logged([
        ("role_changed", "was staff, now a member"),
        ("hosts_removed", "several programs"),
        ("posting_stopped", "a week"),
        ("something_new", "3 widgets"),
    ])  # fmt: skip
    auth.login(admin)
    page = client.get("/admin/audit", headers={"Accept-Language": "es"})
    assert what_cells(page.get_data(as_text=True)) == [
        "something new (3 widgets)",
        "permiso para publicar en pausa (a week)",
        "coordinación retirada (several programs)",
        "rol cambiado (was staff, now a member)",
    ]
