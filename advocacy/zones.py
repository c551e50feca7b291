"""The time zones a form's zone field offers (issue 18, lighter pages).

The tz database has about 600 zones: listed in full, they made every staff event form
25 KB. A zone field's list (an HTML datalist) holds the common zones below, the site's
zone (config DEFAULT_TIMEZONE) and the field's own value; any other zone is still
accepted when typed (fields.zone_named, fields.valid_timezone). Typing part of a name
("Buenos", "argentina") and saving is the search over all of them: the field is refused
calmly, and the page comes back with every zone whose name holds what was typed, the
rest of the form kept as typed (works without JavaScript).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from flask import current_app

from advocacy.fields import NOT_PLACES

# Where the groups of a New York service meet, and where the languages of its meetings
# are spoken (events/forms.py LANGUAGES): the United States' zones, the Caribbean's and
# Latin America's, and the capitals of the other languages. IANA names.
COMMON = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Toronto",
    "America/Mexico_City",
    "America/Guatemala",
    "America/El_Salvador",
    "America/Tegucigalpa",
    "America/Havana",
    "America/Santo_Domingo",
    "America/Port-au-Prince",
    "America/Bogota",
    "America/Caracas",
    "America/Lima",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Kyiv",
    "Europe/Moscow",
    "Africa/Lagos",
    "Asia/Riyadh",
    "Asia/Kolkata",
    "Asia/Manila",
    "Asia/Ho_Chi_Minh",
    "Asia/Shanghai",
    "Asia/Seoul",
    "UTC",
)
MATCHES_SHOWN = 40  # zones found for a typed part of a name, at most
TYPED_READ = 64  # characters of a typed name searched for (IANA names are shorter)


@dataclass(frozen=True)
class ZoneChoices:
    """What a zone field shows: `offered` (IANA names, sorted) for its list, and `found`,
    the zones whose name holds the typed text when it named no zone (empty otherwise)."""

    offered: list[str]
    found: list[str]


@cache
def every_zone() -> frozenset[str]:
    """Every zone name zoneinfo knows that is a place (fields.NOT_PLACES left out)."""
    return frozenset(available_timezones()) - NOT_PLACES


def found_for(typed: str | None) -> list[str]:
    """The zones (sorted, at most MATCHES_SHOWN) whose name holds `typed`, with case
    ignored and spaces read as underscores; none for empty text or a zone's own name."""
    wanted = (typed or "").strip()[:TYPED_READ].replace(" ", "_").casefold()
    if not wanted or typed in every_zone():
        return []
    return sorted(zone for zone in every_zone() if wanted in zone.casefold())[:MATCHES_SHOWN]


def choices_for(value: str | None) -> ZoneChoices:
    """A zone field's choices for its current `value` (as typed or stored; may be None)."""
    found = found_for(value)
    own = {value, current_app.config["DEFAULT_TIMEZONE"]} & every_zone()
    return ZoneChoices(offered=sorted({*COMMON, *own, *found}), found=found)
