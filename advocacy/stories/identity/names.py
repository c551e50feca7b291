"""A person's name, where the words before it say it is one.

Capitalised words alone could be a street, a title or a place, so a name is found only
after words that introduce one. After the words that give someone's own name one word is
enough: "my name is Maria", "her real name was Ana Ruiz", "my name's Luz", "me llamo
Rosa", "mi nombre real es Ana". After words that could introduce anything, two or more
are needed: "a man named John Smith", "un señor llamado Juan Pérez", "una mujer de nombre
Rosa Díaz", "soy María López". A name's words begin with a capital ("María", "O'Neil",
"Jean-Luc"); the little words of Spanish and other names may stand between them
("María de la Cruz"), and one word in lower case after the first kind of words ("me llamo
luz"). "My name was changed" and "I'm Mexican American" stay quiet.
"""

from __future__ import annotations

from advocacy.stories.identity.engine import END, LETTERS, SP, START, UPPER, compile_rule

WORD = rf"[{UPPER}][{LETTERS}'’\-]{{1,24}}"
# Written in lower case between a name's words: "María de la Cruz", "Ludwig van Beethoven".
PARTICLE = r"de|del|la|las|los|y|e|da|das|do|dos|di|van|von|der|le|bin|al"
NEXT_WORD = rf"{SP}{{1,2}}(?:(?:{PARTICLE}){SP}{{1,2}}){{0,2}}{WORD}"
ONE_OR_MORE = rf"{WORD}(?:{NEXT_WORD}){{0,3}}"
TWO_OR_MORE = rf"{WORD}(?:{NEXT_WORD}){{1,3}}"

S = f"{SP}{{1,2}}"
# "my name is", "her real name was", "our names are", "my name's", "my full name:".
ENGLISH_OWN = (
    rf"(?:my|his|her|their|our){S}(?:(?:real|full|legal|birth|given|first|last|true|old|"
    rf"maiden|actual){S})?names?(?:['’]s{S}|{S}(?:is|was|are|were){S}|{SP}{{0,2}}:{S})"
)
# "me llamo", "me llamaba", "mi nombre es", "su verdadero nombre era", "mi nombre completo:".
SPANISH_OWN = (
    rf"(?:me{S}llam(?:o|aba){S}|(?:mi|su|tu){S}(?:verdadero{S})?nombre"
    rf"(?:{S}(?:real|completo|verdadero|legal|de{S}pila))?(?:{S}(?:es|era|fue){S}|{SP}{{0,2}}:{S}))"
)
INTRODUCED = rf"(?:named|llamad[oa]|de{S}nombre|soy){S}"

OWN_NAME = compile_rule(
    "name", rf"{START}(?i:{ENGLISH_OWN}|{SPANISH_OWN})(?P<hit>{ONE_OR_MORE}){END}"
)

# Typed on a phone, a name often has no capital ("me llamo luz", "my name is maria"): after
# the words that give someone's own name, one word in lower case is found too, unless it
# is a word that often follows them ("my name is not important", "mi nombre es lo único").
LOWER_WORD = rf"[a-zß-öø-ÿ][{LETTERS}'’\-]{{1,24}}"
COMMON_AFTER_NAME_WORDS = """
    not no now never still also just only even the an on in at to of my your his her our
    their what written important changed gone known lost kept being used unknown secret
    private hidden different long short hard common special nothing none irrelevant here
    there mine yours safe free same new old was is
    ya muy un una el la lo los las de del al como así igual también tampoco solo sólo nada
    otro otra diferente secreto privado importante cambiado mismo nuevo viejo mío mía es era
    fue por para con sin que se me te le su tu mi
"""
NOT_NAMES = frozenset(COMMON_AFTER_NAME_WORDS.split())


def not_a_common_word(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Keep a lower-case word found as a name unless it is a common word (NOT_NAMES)."""
    return None if text[start:end].lower() in NOT_NAMES else (start, end)


OWN_NAME_IN_LOWER_CASE = compile_rule(
    "name",
    rf"{START}(?i:{ENGLISH_OWN}|{SPANISH_OWN})(?P<hit>{LOWER_WORD}){END}",
    not_a_common_word,
)
INTRODUCED_NAME = compile_rule("name", rf"{START}(?i:{INTRODUCED})(?P<hit>{TWO_OR_MORE}){END}")

RULES = (OWN_NAME, OWN_NAME_IN_LOWER_CASE, INTRODUCED_NAME)
