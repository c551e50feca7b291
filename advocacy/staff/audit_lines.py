"""One audit entry as a line of the audit log, in the reader's language, built when shown.

An entry stores its action (a key such as "role_changed") and a detail written by the
code that recorded it, in fixed shapes of English words and numbers (staff/roles.py,
staff/handover.py, staff/standing.py, events/hosts.py):

- "staff to member" (role_changed: Role values, old then new); "member" (account_removed);
- "2 programs, 1 event" (hosts_taken_over, hosts_handed_over, hosts_left_unstaffed), with
  "; taken over: 1 program" after it for hosts_removed;
- "7 days" (posting_stopped); "program 12" or "event 3" (host_added, host_removed).

Only these shapes are read; the words are said again here (role_words.role_word,
programs_and_events, i18n.days). A detail of any other shape (older code, a new action) is
shown as stored, and an unknown action as its key with spaces, so nothing recorded is ever
hidden.
"""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from advocacy import i18n
from advocacy.accounts.role_words import role_word
from advocacy.notices.hosting import programs_and_events

# Action key -> its label (lower case, as the log's "What" column writes it).
ACTION_LABELS = {
    "account_paused": _l("account paused"),
    "account_removed": _l("account removed"),
    "account_resumed": _l("account resumed"),
    "host_added": _l("host added"),
    "host_removed": _l("host removed"),
    "hosts_handed_over": _l("hosts handed over"),
    "hosts_left_unstaffed": _l("hosts left unstaffed"),
    "hosts_removed": _l("hosts removed"),
    "hosts_taken_over": _l("hosts taken over"),
    "posting_stop_lifted": _l("posting stop lifted"),
    "posting_stopped": _l("posting stopped"),
    "recovery_code_used": _l("recovery code used"),
    "reset_code_approved": _l("reset code approved"),
    "reset_code_issued": _l("reset code issued"),
    "reset_code_used": _l("reset code used"),
    "reset_code_withdrawn": _l("reset code withdrawn"),
    "role_changed": _l("role changed"),
}

_COUNT = re.compile(r"(\d+) (program|event)s?")
_COUNTS = re.compile(r"\d+ (?:program|event)s?(?:, \d+ (?:program|event)s?)?")
_ROLE_CHANGE = re.compile(r"(\w+) to (\w+)")
_DAYS = re.compile(r"(\d+) days?")
_PARENT = re.compile(r"(program|event) (\d+)")


def _counts(text: str) -> str | None:
    """ "2 programs, 1 event" said again (programs_and_events); None if not that shape."""
    if not _COUNTS.fullmatch(text):
        return None
    found = {word: int(number) for number, word in _COUNT.findall(text)}
    programs, events = found.get("program", 0), found.get("event", 0)
    return programs_and_events(programs, events) if programs or events else None


def _hosts_removed(text: str) -> str | None:
    left, sep, taken = text.partition("; taken over: ")
    left_said = _counts(left)
    if not sep:
        return left_said
    taken_said = _counts(taken)
    if left_said is None or taken_said is None:
        return None
    return gettext("%(left)s; taken over: %(taken)s", left=left_said, taken=taken_said)


def _role_changed(text: str) -> str | None:
    found = _ROLE_CHANGE.fullmatch(text)
    if found is None:
        return None
    old, new = found.groups()
    return gettext("%(old)s to %(new)s", old=role_word(old), new=role_word(new))


def _days(text: str) -> str | None:
    found = _DAYS.fullmatch(text)
    if found is None:
        return None
    return i18n.days(int(found.group(1)))


def _parent(text: str) -> str | None:
    found = _PARENT.fullmatch(text)
    if found is None:
        return None
    what, number = found.groups()
    if what == "program":
        return gettext("program %(id)s", id=number)
    return gettext("event %(id)s", id=number)


DETAIL_READERS = {
    "account_removed": role_word,
    "host_added": _parent,
    "host_removed": _parent,
    "hosts_handed_over": _counts,
    "hosts_left_unstaffed": _counts,
    "hosts_removed": _hosts_removed,
    "hosts_taken_over": _counts,
    "posting_stopped": _days,
    "role_changed": _role_changed,
}


def audit_line(action: str, detail: str) -> str:
    """The log's "What" for an entry, e.g. "role changed (staff to member)", in the
    reader's language; the stored detail as it is when its shape is not a known one."""
    label = ACTION_LABELS.get(action)
    said = str(label) if label is not None else action.replace("_", " ")
    if not detail:
        return said
    reader = DETAIL_READERS.get(action)
    words = reader(detail) if reader is not None else None
    return f"{said} ({words if words is not None else detail})"
