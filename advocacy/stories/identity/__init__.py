"""The identity check: find things in a story that could identify someone.

It runs on the server (so it works without JavaScript), before a story goes to
review. It looks for the details that identify survivors of trafficking: ways to
reach them (phone, email, handles, links), where they live (addresses, units),
their court and immigration files (case, docket and index numbers, A-numbers,
USCIS receipts), their papers (Social Security, passport, licence, plate, ID) and bank cards,
their date of birth, a person's name where words introduce it ("my name is…") and the
author's own pseudonym, with English and Spanish cues.
It errs on the side of asking: the author sees each finding and can change it or
confirm.

Every pattern runs on RE2, in time linear in the text (engine.py says how).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import re2
from flask_babel import lazy_gettext as _l

from advocacy.stories.identity import contact, documents, names, places, records
from advocacy.stories.identity.engine import END, START, Encoded, compile_rule, plain, scan

# What each kind is called to the author ("“…” looks like a passport number."), most
# specific first: when two kinds find the same words, the earlier one names them.
KINDS = {
    "ssn": _l("a Social Security number"),
    "a_number": _l("an immigration A-number"),
    "receipt_number": _l("a USCIS receipt number"),
    "passport": _l("a passport number"),
    "driver_licence": _l("a driver's licence number"),
    "licence_plate": _l("a licence plate"),
    "id_number": _l("an ID card number"),
    "card_number": _l("a bank card number"),
    "court_index": _l("a court index number"),
    "case_number": _l("a case or docket number"),
    "birth_date": _l("a date of birth"),
    "email": _l("an email address"),
    "social": _l("a social media handle or profile link"),
    "link": _l("a web link"),
    "unit": _l("a unit or apartment number"),
    "address": _l("a street address"),
    "phone": _l("a phone number"),
    "pseudonym": _l("your own pseudonym"),
    "name": _l("a person's name"),
}
PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}
RULES = (*documents.RULES, *records.RULES, *contact.RULES, *places.RULES, *names.RULES)
PSEUDONYM_LEAST = 3  # shorter pseudonyms would be found inside ordinary words


@dataclass(frozen=True)
class Finding:
    """One thing that may identify someone, and where it is in the text."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def pseudonym_rule(pseudonym: str | None):
    """The rule for the author's own pseudonym (any case), or None if too short."""
    name = (pseudonym or "").strip()
    if len(name) < PSEUDONYM_LEAST:
        return None
    # Read as the text is (engine.plain): ليلى٣ is found as ليلى3 is.
    return compile_rule("pseudonym", rf"(?i){START}(?P<hit>{re2.escape(plain(name))}){END}")


def find_identifiers(text: str, *, pseudonym: str | None = None) -> list[Finding]:
    """Return what in text could identify someone, in order, without overlaps.

    Findings are taken from the start of the text on: of those that start first, the
    longer one, then the more specific kind (KINDS' order). A rule whose next finding
    overlaps one taken searches again from the end of it, so what follows an overlap is
    still found: a phone number written right after a bank card number, whose digits
    the phone rule had first read from inside the card. Each rule still reads the text
    once, forward (engine.py: linear in the text).
    """
    encoded = Encoded(text)
    rules = RULES
    own = pseudonym_rule(pseudonym)
    if own is not None:
        rules = (*rules, own)

    def next_from(rule, start: int) -> tuple[int, int, str] | None:
        return next(scan(rule, encoded, start), None)

    upcoming = [next_from(rule, 0) for rule in rules]  # each rule's next finding
    findings: list[Finding] = []
    while any(upcoming):
        start, end, kind = min(
            (found for found in upcoming if found),
            key=lambda f: (f[0], f[0] - f[1], PRIORITY[f[2]]),
        )
        findings.append(Finding(kind, start, end, text[start:end]))
        for index, found in enumerate(upcoming):
            if found and found[0] < end:  # the one taken, and those it overlaps
                upcoming[index] = next_from(rules[index], end)
    return findings


def highlight(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """Split text into (piece, finding) pairs, so a template can mark each finding (escaped)."""
    pieces: list[tuple[str, Finding | None]] = []
    position = 0
    for finding in findings:
        if finding.start > position:
            pieces.append((text[position : finding.start], None))
        pieces.append((finding.text, finding))
        position = finding.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def fingerprint(findings: list[Finding]) -> str:
    """Return a short digest of the findings, so a confirmation covers exactly what was shown."""
    joined = "\n".join(f"{f.kind}:{f.text}" for f in findings)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
