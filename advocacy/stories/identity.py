"""The identity check: find things in a story that could identify someone.

It runs on the server (so it works without JavaScript), before a story goes to
review. It looks for phone numbers, email addresses, street addresses, case or
docket numbers, dates of birth and the author's own pseudonym. It errs on the
side of asking: the author sees each finding and can change it or confirm.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

KINDS = {
    "phone": _l("a phone number"),
    "email": _l("an email address"),
    "address": _l("a street address"),
    "case_number": _l("a case or docket number"),
    "birth_date": _l("a date of birth"),
    "pseudonym": _l("your own pseudonym"),
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}", re.UNICODE)
# Seven to fifteen digits with the usual separators, e.g. +1 (555) 123-4567 or 0151 496 0000.
PHONE = re.compile(r"(?<![\w.,/-])\+?\(?\d[\d\s().-]{5,24}\d(?![\w/-])")
YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d$")
STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
    r"Way|Terrace|Ter|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Square|Sq)"
)
ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'’.-]*\s+){{1,4}}{STREET_SUFFIX}\b\.?"
    r"|\b(?:Apt|Apartment|Suite|Unit)\.?\s*#?\s*\d+[A-Za-z]?\b"
)
# "case no. 12-345", "docket #4417", "Case 2019-CR-001234", "1:19-cr-00123".
CASE_NUMBER = re.compile(
    r"\b(?:case|docket|file|indictment|cause)\s*(?:no\.?|number|num\.?|#)\s*:?\s*[\w:-]*\d[\w:-]*"
    r"|\b(?:case|docket)\s+(?=[\w:-]*\d)(?=[\w:-]*[-:])[\w:-]+"
    r"|\b\d:\d{2}-[a-z]{2,4}-\d{3,6}\b"
    r"|\b(?:19|20)\d{2}-?[A-Z]{2,4}-?\d{3,}\b",
    re.IGNORECASE,
)
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
FULL_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
    rf"|{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS},?\s+\d{{4}})"
)
BIRTH_DATE = re.compile(
    rf"\b(?:born|birth|birthday|dob|d\.o\.b\.?)\b[^.\n]{{0,30}}?{FULL_DATE}", re.IGNORECASE
)


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


def phone_numbers(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in PHONE.finditer(text):
        candidate = match.group().strip()
        digits = sum(ch.isdigit() for ch in candidate)
        if not 7 <= digits <= 15 or YEAR_RANGE.match(candidate):
            continue
        if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}", candidate):
            continue  # a date, checked by itself
        spans.append((match.start(), match.end()))
    return spans


def find_identifiers(text: str, *, pseudonym: str | None = None) -> list[Finding]:
    """Return what in text could identify someone, in order, without overlaps."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in (
        ("email", EMAIL),
        ("birth_date", BIRTH_DATE),
        ("case_number", CASE_NUMBER),
        ("address", ADDRESS),
    ):
        found += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    found += [(start, end, "phone") for start, end in phone_numbers(text)]
    if pseudonym and len(pseudonym.strip()) >= 3:
        own = re.compile(rf"(?<!\w){re.escape(pseudonym.strip())}(?!\w)", re.IGNORECASE)
        found += [(m.start(), m.end(), "pseudonym") for m in own.finditer(text)]
    findings: list[Finding] = []
    last_end = -1
    # Earlier first; at the same place the longer (more specific) match wins.
    for start, end, kind in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if start < last_end:
            continue
        findings.append(Finding(kind, start, end, text[start:end]))
        last_end = end
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
