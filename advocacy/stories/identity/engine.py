"""How the identity check's rules are written and run, in time linear in the text.

Every pattern is compiled by RE2 (google-re2), which runs in time linear in the text:
it has no backtracking, so no lookaround and no backreferences. Word edges are written
as explicit groups instead: `START` (the start of the text, or one character that is
not a letter, digit or underscore) before the part that is found, and `END` after it.
Only the group named "hit" is the finding. Every pattern has a bounded width (no `*`,
`+` or `{n,}`: tests/stories/test_identity_linear.py proves it from the patterns), so
a search reads at most that width past where it starts, and `scan` starts each search
where the last finding ended: the whole scan is O(len(text) × width).

A rule may add a check in Python; a check reads only the finding and a bounded window
around it (`after`, `before`), so it adds O(width) per finding.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import re2

# Word edges: letters and digits of any script (RE2's \w and \b are ASCII only).
START = r"(?:^|[^\pL\pN_])"
END = r"(?:$|[^\pL\pN_])"
# Inside a repeated part, Latin letters only: a Unicode class is some 1,300 RE2
# instructions, and repeated 64 times the program would pass RE2's memory budget.
LETTERS = "A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ"  # with Latin Extended Additional (Vietnamese)
UPPER = "A-ZÀ-ÖØ-ÞĐ"
ALNUM = f"0-9{LETTERS}"
# Spaces within one line (a finding never runs over a line break); NB: no-break spaces.
NB = "\u00a0\u202f"
SP = f"[ \t{NB}]"
# Between a cue and what it introduces: spaces and the usual marks ("no.", "#", ":").
GAP_CHARS = f"[ \t{NB}:#=.,\\-–]"
GAP = GAP_CHARS + "{1,4}"
GAP0 = GAP_CHARS + "{0,4}"
# Words that may stand between a cue and its value ("My case number is ...").
# Longer words first: RE2, like Perl, takes the first alternative that leads to a match.
NUMBER_WORDS = r"n[úu]mero|numbers?|n[úu]m|nos?|nr|n[º°]|#|id"
LINK_WORDS = (
    r"is|was|were|are|reads?|shows?|of|my|the|eran|era|es|son|fueron|fue|est[áa]|el|la|"
    r"del|de|mi"
)
WINDOW = 24  # characters read after or before a finding by a check


@dataclass(frozen=True)
class Rule:
    """A kind of identifier, its RE2 pattern (group "hit" is the finding) and a check.

    `check(text, start, end)` returns the finding's span (it may trim it), an empty span
    (p, p) to drop what comes before p and search again from there (the first of two
    numbers in a row is not one, the second may be), or None to drop the whole match;
    positions are character offsets into text.
    """

    kind: str
    pattern: re2._Regexp
    check: Callable[[str, int, int], tuple[int, int] | None] | None = None


def compile_rule(kind: str, pattern: str, check=None) -> Rule:
    """Compile pattern with RE2; it must have a group named "hit"."""
    compiled = re2.compile(pattern)
    if "hit" not in compiled.groupindex:
        raise ValueError(f"pattern for {kind} has no group named hit")
    return Rule(kind, compiled, check)


def cued(cues: str, value: str, *, words: str = f"{NUMBER_WORDS}|{LINK_WORDS}") -> str:
    """A pattern for a value introduced by a cue, with up to three linking words between.

    "passport number is X1234567": cue "passport", words "number", "is". The group
    "hit" is the value alone, "cue" the cue; matching ignores case.
    """
    return rf"(?i){START}(?P<cue>{cues})(?:{GAP}(?:{words})){{0,3}}{GAP}(?P<hit>{value}){END}"


PLAIN_BY_CATEGORY = {"Zs": " ", "Pd": "-"}


def plain_character(character: str) -> str:
    """A decimal digit of any script (Unicode category Nd: ٤, ４, ४) as its ASCII digit, a
    space of any width (category Zs: no-break, thin, ideographic) as " ", a dash of any
    kind (category Pd: non-breaking hyphen, en dash, minus) as "-", any other character
    (a line separator, a letter) as itself."""
    if character.isdecimal():
        return str(unicodedata.decimal(character))
    return PLAIN_BY_CATEGORY.get(unicodedata.category(character), character)


def plain(text: str) -> str:
    """The text with plain_character's digits and spaces: one character for one, so a
    position in it is the same in the text. Each other character is looked at once."""
    others = {character for character in set(text) if not character.isascii()}
    return text.translate({ord(character): plain_character(character) for character in others})


class Encoded:
    """The text as UTF-8 once (plain: every rule reads ٤١١١ as 4111), with a table from
    byte offsets to character offsets.

    A lone surrogate (not valid UTF-8) is passed through as three bytes, so no text
    makes the check fail. No cue or number matches them, but a class that excludes
    characters (a link's, the words between "born" and a date) takes them in: a finding
    may hold one, and scan counts its bytes the same way.
    """

    def __init__(self, text: str):
        text = plain(text)
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        if len(self.data) == len(text):
            self.char_at = self.byte_at = None
            return
        table: list[int] = []
        starts: list[int] = []
        for index, character in enumerate(text):
            starts.append(len(table))
            table += [index] * len(character.encode("utf-8", "surrogatepass"))
        table.append(len(text))
        starts.append(len(self.data))
        self.char_at = table  # a byte inside a character maps to that character
        self.byte_at = starts  # a character (or the end) maps to its first byte

    def char(self, byte_offset: int) -> int:
        return byte_offset if self.char_at is None else self.char_at[byte_offset]

    def byte(self, char_offset: int) -> int:
        return char_offset if self.byte_at is None else self.byte_at[char_offset]


def scan(rule: Rule, encoded: Encoded, start: int = 0) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, kind) for each finding of rule from character `start` on, in
    order (positions are character offsets).

    Each search starts where the last finding ended, so an END character consumed by
    one match can be the START of the next. A check may only narrow a finding.
    """
    hit = rule.pattern.groupindex["hit"]
    data, position = encoded.data, encoded.byte(start)
    while position <= len(data):
        match = rule.pattern.search(data, position)
        if match is None:
            return
        begin, finish = match.span(hit)
        start, end = encoded.char(begin), encoded.char(finish)
        span = rule.check(encoded.text, start, end) if rule.check else (start, end)
        if span is not None and start <= span[0] <= span[1] <= end:
            # A check may keep the start of a match; the next search reads the rest.
            kept = encoded.text[start : span[1]].encode("utf-8", "surrogatepass")
            finish = begin + len(kept)
            if span[0] < span[1]:
                yield span[0], span[1], rule.kind
        position = max(finish, match.start() + 1)


def after(text: str, end: int) -> str:
    """The first word after position end, lowercased (for "3 veces", "5 years")."""
    window = text[end : end + WINDOW].split()
    return window[0].strip(".,;:!?)").lower() if window else ""


def before(text: str, start: int) -> str:
    """Up to WINDOW characters before position start, lowercased."""
    return text[max(0, start - WINDOW) : start].lower()


def digits(text: str) -> int:
    return sum(character.isdigit() for character in text)


def fits(pattern: re2._Regexp, text: str) -> bool:
    """Whether the whole of text (a finding, so bounded) matches pattern."""
    return pattern.fullmatch(text) is not None


def word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, for checks ("after(...) in COUNTED")."""
    return frozenset(words.split())


# How many of something, not where: "Calle Juárez 3 veces", "room 12 hours".
COUNTED = word_set(
    "times time hours hour days day weeks week months month years year minutes minute "
    "nights night blocks block miles mile pages page people kids children dollars "
    "veces vez horas hora días dias día dia semanas semana meses mes años año minutos "
    "minuto noches noche cuadras cuadra millas milla páginas paginas personas niños "
    "hijos hijas pesos dólares dolares euros"
)
