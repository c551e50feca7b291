"""The words for the programs and events someone runs, by count: in what an admin is told
about a role change, on the page that asks first and in the message after it
(staff/asking.py, staff/views.py).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext


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
