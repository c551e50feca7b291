"""Small compiled catalogues in a throwaway directory, as a translator would add them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo


def write_catalogues(root: Path, languages: dict[str, dict[str, str]]) -> str:
    """Write languages[code] = {English: translation} as compiled catalogues under root;
    return the directory, for BABEL_TRANSLATION_DIRECTORIES."""
    for code, messages in languages.items():
        catalogue = Catalog(locale=code)
        for english, translated in messages.items():
            catalogue.add(english, translated)
        target = root / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        with open(target / "messages.mo", "wb") as handle:
            write_mo(handle, catalogue)
    return str(root)


# Spanish, and French: a third language added with nothing but its catalogue.
SPANISH_AND_FRENCH = {"es": {"Quick exit": "Salida rápida"}, "fr": {"Quick exit": "Sortie rapide"}}


def catalogue_overrides(root: Path, languages: dict[str, dict[str, str]] = SPANISH_AND_FRENCH):
    """App settings that read `languages` (write_catalogues) in place of the real ones."""
    return {"BABEL_TRANSLATION_DIRECTORIES": write_catalogues(root, languages)}
