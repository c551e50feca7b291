"""The words for the programs and events someone runs, by count: in what an admin is told
after a role change (its confirmation page and the message after it, staff/asking.py and
staff/views.py), and in the notice an admin gets for what they took over when an account
that ran them alone was deleted (staff/handover.py; not when they removed it themself).

The ``hosts_taken_over`` notice's params are two whole numbers, ``programs`` and
``events`` (how many the admin now runs); it names nobody, the deleted account least of
all (its pseudonym would outlive it).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

TAKEN_OVER = _l(
    "An account was deleted, and you now run %(what)s that had no one else. You can hand "
    "each one to someone else from its page."
)


def programs_and_events(programs: int, events: int) -> str:
    """Say "2 programs and 1 event" (only the counts that are not zero; at least one is)."""
    parts = []
    if programs:
        parts.append(ngettext("%(num)d program", "%(num)d programs", programs))
    if events:
        parts.append(ngettext("%(num)d event", "%(num)d events", events))
    if len(parts) == 2:
        return str(_l("%(first)s and %(second)s", first=parts[0], second=parts[1]))
    return parts[0]


def hosts_taken_over(params: dict) -> str:
    """The notice of what an admin took over from a deleted account."""
    what = programs_and_events(int(params["programs"]), int(params["events"]))
    return str(TAKEN_OVER) % {"what": what}


RENDERERS = {"hosts_taken_over": hosts_taken_over}
