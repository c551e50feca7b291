"""Where someone lives: street addresses (English and Spanish), P.O. boxes and units.

English: a house number, perhaps a direction, capitalised names or a numbered street,
and a street type: "42 Maple Street", "22 W 34th St", "1500 East 3rd Avenue",
"37-15 82nd Street", "350 Broadway". Spanish: a street type, names and a number:
"Calle 5 #23-10", "Avenida Juárez 45", "Paseo de la Reforma 222", "C/ Mayor 3".
"""

from __future__ import annotations

from advocacy.stories.identity.engine import (
    COUNTED,
    END,
    GAP0,
    LETTERS,
    SP,
    START,
    UPPER,
    after,
    before,
    compile_rule,
    word_set,
)


def not_counted(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop "Calle Juárez 3 veces", "Unit 5 minutes": a count, not a number on a door."""
    return None if after(text, end) in COUNTED else (start, end)


# A number after these starts a title, not an address: "Part 2 Long Road Home".
PARTS = word_set(
    "part chapter step day book season week volume vol act psalm verse episode level "
    "phase round page lesson parte capítulo capitulo paso día dia libro semana salmo "
    "versículo versiculo nivel fase lección leccion"
)


def not_a_title(text: str, start: int, end: int) -> tuple[int, int] | None:
    words = before(text, start).split()
    return None if words and words[-1].strip(".:") in PARTS else (start, end)


HOUSE = r"\d{1,6}[A-Za-z]?(?:-\d{1,4})?"
DIRECTION = (
    r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Northeast|Northwest|Southeast|"
    r"Southwest)\.?"
)
WORDS = (
    "Street|Avenue|Road|Boulevard|Lane|Drive|Court|Place|Way|Terrace|Highway|Parkway|"
    "Circle|Square|Plaza|Alley|Row|Loop|Trail|Expressway|Turnpike|Crescent|Walk"
)
SHORT = "St|Ave|Av|Rd|Blvd|Ln|Dr|Ct|Pl|Ter|Hwy|Pkwy|Cir|Sq|Trl|Expy|Tpke"  # may end in "."
SUFFIXES = rf"(?:{WORDS}|(?:{SHORT})\.?)"
# Written as a name is ("Street", "STREET"), so "walked 5 blocks down the street" is not one.
SUFFIX = rf"(?:{SUFFIXES}|{SUFFIXES.upper()})"
NAME = rf"[{UPPER}][{LETTERS}'’.\-]{{0,24}}"
ORDINAL_STREET = r"\d{1,3}(?i:st|nd|rd|th)"

ADDRESS = compile_rule(
    "address",
    rf"{START}(?P<hit>{HOUSE}{SP}{{1,2}}(?:(?i:{DIRECTION}){SP}{{1,2}})?"
    rf"(?:(?:{NAME}|{ORDINAL_STREET}){SP}{{1,2}}){{1,4}}{SUFFIX}"
    rf"(?:{SP}{{1,2}}{DIRECTION})?){END}",
    not_a_title,
)
# Numbered streets typed in lower case: "22 w 34th st", "301 east 21st street".
NUMBERED_STREET = compile_rule(
    "address",
    rf"(?i){START}(?P<hit>{HOUSE}{SP}{{1,2}}(?:{DIRECTION}{SP}{{1,2}})?{ORDINAL_STREET}"
    rf"{SP}{{1,2}}{SUFFIXES}){END}",
)
NAMED_STREET = compile_rule(
    "address",
    rf"{START}(?P<hit>{HOUSE}{SP}{{1,2}}(?:{DIRECTION}{SP}{{1,2}})?(?:Broadway|Bowery|BROADWAY)){END}",
)
PO_BOX = compile_rule(
    "address",
    rf"(?i){START}(?P<hit>(?:p\.? ?o\.? ?box|post office box|apartado postal|apdo\.(?: postal)?|"
    rf"casilla postal){GAP0}\d{{1,8}}){END}",
)

SPANISH_TYPES = (
    r"calle|avenida|avda\.|av\.|av|carrera|cra\.|kra\.|calzada|calz\.|paseo|callej[óo]n|"
    r"privada|priv\.|prolongaci[óo]n|prol\.|boulevard|bulevar|blvd\.|diagonal|transversal|"
    r"circunvalaci[óo]n|camino|carretera|andador|cerrada|retorno|pasaje|ronda|rambla|"
    r"traves[íi]a|plaza|pza\."
)
SPANISH_NAME = rf"(?:{NAME}|\d{{1,3}}(?:[ºª°]|ra|ro|er|a|o)?|de|del|la|las|los|el|y)"
SPANISH_NUMBER = (
    rf"(?:,?{SP}{{0,2}}(?:(?i:n[úu]m\.?|n[úu]mero|no\.?|n[º°]\.?)|#){SP}{{0,2}}|,?{SP}{{1,2}})"
    rf"\d{{1,5}}[A-Za-z]?(?:{SP}?-{SP}?\d{{1,4}}[A-Za-z]?)?"
)
SPANISH_ADDRESS = compile_rule(
    "address",
    rf"{START}(?P<hit>(?:(?i:{SPANISH_TYPES}){SP}{{1,2}}|(?i:c/){SP}{{0,2}})"
    rf"(?:{SPANISH_NAME}{SP}{{1,2}}){{0,4}}{SPANISH_NAME}{SPANISH_NUMBER}){END}",
    not_counted,
)

UNIT_WORDS = (
    r"apt|apartment|suite|ste|unit|flat|bldg|floor|fl\.|apto|apartamento|depto|dpto|"
    r"departamento|int\.|interior|piso|puerta"
)
UNIT_VALUE = r"(?:\d{1,5}[A-Za-z]?|[A-Za-z]\d{1,5}|(?-i:[A-HJ-Z]))"
UNIT = compile_rule(
    "unit",
    rf"(?i){START}(?P<hit>(?:{UNIT_WORDS})\.?{SP}{{0,2}}"
    rf"(?:#|no\.|n[úu]m\.|n[úu]mero|number|n[º°]\.?)?{SP}{{0,2}}{UNIT_VALUE}){END}",
    not_counted,
)
# "#12C" just after a street: "22 W 34th St #12C", "Maple Street, # 4".
UNIT_AFTER_STREET = compile_rule(
    "unit",
    rf"(?i){START}(?:{SUFFIXES}|broadway),?{SP}{{0,2}}(?P<hit>#{SP}?\d{{1,5}}[A-Za-z]?){END}",
)

RULES = (
    ADDRESS,
    NUMBERED_STREET,
    NAMED_STREET,
    PO_BOX,
    SPANISH_ADDRESS,
    UNIT,
    UNIT_AFTER_STREET,
)
