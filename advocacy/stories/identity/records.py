"""Court and case records, and dates of birth: the finding includes its cue
("case number is 24-CR-00917", "Index No. 123456/2024", "born on March 4, 1990").

Formats: US federal "1:19-cr-00123" (district office, year, type, number); state
"2019-CR-001234", "24-CR-00917"; New York "Index No. 123456/2024" (CPLR 306-a);
Mexico "carpeta de investigación", "causa penal", "expediente 123/2023".
"""

from __future__ import annotations

import re2

from advocacy.stories.identity.engine import (
    ALNUM,
    COUNTED,
    END,
    GAP,
    GAP0,
    LINK_WORDS,
    NUMBER_WORDS,
    SP,
    START,
    after,
    compile_rule,
    digits,
    fits,
)

CASE_VALUE = rf"[{ALNUM}](?:[{ALNUM}:/.\-]{{0,28}}[{ALNUM}])?"
LINKS = rf"(?:{GAP}(?:{LINK_WORDS})){{0,2}}"
YEARS = re2.compile(r"(?:19|20)\d\d ?[-–/] ?(?:19|20)?\d\d")


def case_check(least: int, *, marked: bool = False):
    """A check: the value (the finding's last word) has `least` digits or more, is not
    followed by a count ("300 páginas") and, if `marked`, has a - : or / and is not a
    range of years ("case 2015-2018")."""

    def check(text: str, start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end].split()[-1]
        if digits(value) < least or after(text, end) in COUNTED:
            return None
        if marked and (not any(c in "-:/" for c in value) or fits(YEARS, value)):
            return None
        return start, end

    return check


# A cue that names a record by itself: "docket 4417", "expediente 2023-456".
RECORD_CUES = (
    r"docket|expediente|carpeta de investigaci[óo]n|carpeta|averiguaci[óo]n previa|"
    r"causa penal|indictment|n[úu]mero de (?:caso|expediente|causa|carpeta|juicio)|"
    r"n[º°] de (?:caso|expediente|causa)"
)
# A cue that needs a number word: "case no. 12-345", "file number 88", "caso núm. 12".
NUMBERED_CUES = r"case|caso|file|cause|causa|juicio|proceso"

CASE_NAMED = compile_rule(
    "case_number",
    rf"(?i){START}(?P<hit>(?:{RECORD_CUES}){LINKS}(?:{GAP}(?:{NUMBER_WORDS}))?{LINKS}{GAP}"
    rf"{CASE_VALUE}){END}",
    case_check(3),
)
CASE_NUMBERED = compile_rule(
    "case_number",
    rf"(?i){START}(?P<hit>(?:{NUMBERED_CUES}){LINKS}"
    rf"(?:{GAP}(?:{NUMBER_WORDS}){LINKS}{GAP}| ?#{GAP0}){CASE_VALUE}){END}",
    case_check(3),
)
# "My case is 24-CR-00917", "caso 2023-456": a bare "case" needs a number that looks
# like one (a - : or /, four digits), so "in case 300 people come" stays quiet.
CASE_BARE = compile_rule(
    "case_number",
    rf"(?i){START}(?P<hit>(?:case|caso){LINKS}{GAP}{CASE_VALUE}){END}",
    case_check(4, marked=True),
)
CASE_FORMAT = compile_rule(
    "case_number",
    rf"{START}(?P<hit>(?i:\d:\d{{2}}-[a-z]{{2,4}}-\d{{3,6}})"
    rf"|(?i:(?:19|20)\d{{2}}-?[a-z]{{2,4}}-?\d{{3,8}})|\d{{2}}-[A-Z]{{2,4}}-\d{{3,8}}){END}",
)

INDEX_VALUE = r"(?:[A-Za-z]{1,3}-)?\d{1,8}[/\-]\d{2,4}(?:/[A-Za-z]{1,3})?"
COURT_INDEX = compile_rule(
    "court_index",
    rf"(?i){START}(?P<hit>(?:index|ind\.|[íi]ndice)(?:{GAP}(?:{NUMBER_WORDS})){{0,2}}{GAP}"
    rf"{INDEX_VALUE}){END}",
    case_check(5, marked=True),
)
COURT_INDEX_FORMAT = compile_rule(
    "court_index",
    r"(?:^|[^\pL\pN_/\-.,])(?P<hit>\d{5,6}/(?:19|20)\d\d)(?:$|[^\pL\pN_/\-])",
)

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"enero|ene|febrero|marzo|abril|abr|mayo|junio|julio|agosto|ago|septiembre|setiembre|"
    r"octubre|noviembre|diciembre|dic)"
)
ORDINAL = r"(?:st|nd|rd|th|º|°|ro|er|o)?"
DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{MONTHS}\.?{SP}{{1,3}}\d{{1,2}}{ORDINAL},?{SP}{{1,3}}\d{{4}}"
    rf"|\d{{1,2}}{ORDINAL}{SP}{{1,3}}(?:(?:of|de){SP}{{1,3}})?{MONTHS}\.?,?{SP}{{1,3}}"
    rf"(?:(?:de|del){SP}{{1,3}})?\d{{4}})"
)
BIRTH_CUES = (
    r"date of birth|born|birthday|birth|dob|d\.o\.b\.?|fecha de nacimiento|nac[íi]|naci[óo]|"
    r"nacid[oa]s?|nacimiento|"
    r"cumplea[ñn]os|f\. ?de nac\.?|fdn"
)
BIRTH_DATE = compile_rule(
    "birth_date",
    rf"(?i){START}(?P<hit>(?:{BIRTH_CUES})[^\pL\pN_][^.\n]{{0,30}}?{DATE}){END}",
)

RULES = (
    CASE_NAMED,
    CASE_NUMBERED,
    CASE_BARE,
    CASE_FORMAT,
    COURT_INDEX,
    COURT_INDEX_FORMAT,
    BIRTH_DATE,
)
