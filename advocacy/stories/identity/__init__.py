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

import bisect
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


Span = tuple[int, int, str]  # (start, end, kind): character offsets into the text


def first_taken(span: Span) -> tuple[int, int, int]:
    """Which of findings that overlap is taken: the one that starts first, at the same
    start the longer one, then the more specific kind (KINDS' order)."""
    return span[0], span[0] - span[1], PRIORITY[span[2]]


def find_identifiers(text: str, *, pseudonym: str | None = None) -> list[Finding]:
    """Return what in text could identify someone, in order, without overlaps.

    First each rule reads the whole text, and where findings overlap the one taken is as
    first_taken says. Then, in the stretches between those findings, what a rule finds when it
    reads on from the end of an overlap is added (read_on): a phone number written right
    after a bank card number, whose digits the phone rule had first read from inside the
    card. What the first reading found is always kept. Linear in the text (engine.py).
    """
    encoded = Encoded(text)
    rules = RULES
    own = pseudonym_rule(pseudonym)
    if own is not None:
        rules = (*rules, own)
    found = sorted((span for rule in rules for span in scan(rule, encoded)), key=first_taken)
    first: list[Span] = []
    for span in found:
        if not first or span[0] >= first[-1][1]:
            first.append(span)
    return [Finding(kind, s, e, text[s:e]) for s, e, kind in read_on(rules, encoded, first)]


def read_on(rules: tuple, encoded: Encoded, first: list[Span]) -> list[Span]:
    """The first reading's findings (`first`, in order, apart), and in the stretches
    between them each rule's findings when it reads on from the end of whatever it
    overlapped, earliest first: one that would overlap a first finding is passed over,
    its rule reading on from that finding's end. Every rule moves forward only, so the
    text is read once more at most."""
    ends = [span[1] for span in first]

    def next_from(rule, start: int) -> Span | None:
        return next(scan(rule, encoded, start), None)

    upcoming = [next_from(rule, 0) for rule in rules]  # each rule's next finding
    added: list[Span] = []
    while any(upcoming):
        best = min((span for span in upcoming if span), key=first_taken)
        start, end, _kind = best
        index = bisect.bisect_right(ends, start)  # the first finding that ends after start
        if index < len(first) and first[index][0] < end:  # overlaps it (or is it)
            rule = upcoming.index(best)
            upcoming[rule] = next_from(rules[rule], first[index][1])
            continue
        added.append(best)
        for rule, span in enumerate(upcoming):
            if span and span[0] < end:  # the one taken, and those it overlaps
                upcoming[rule] = next_from(rules[rule], end)
    return sorted([*first, *added])


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
