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
