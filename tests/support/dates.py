"""How the site writes a day for people, written here from the rule (advocacy/i18n.py
DAY_FORMS in English: the day before the month, the month in full), and what a page must
never show its readers: ISO 8601 days ("2026-12-02", for machines) or the American
"December 2, 2026"/"Dec 2, 2026"."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTHS += ("September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# A month's name or its first three letters, then the day, a comma and the year.
MONTH_FIRST = re.compile(
    r"\b(?:" + "|".join(month[:3] for month in MONTHS) + r")[a-z]*\.? \d{1,2}, \d{4}\b"
)
# Text inside these is not read as words (CSS, scripts, form values are attributes).
NOT_READ = {"script", "style"}


def english_date(day: date) -> str:
    """The "date" form in English: "2 December 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def english_weekday_and_date(day: date) -> str:
    """The "weekday and date" form in English: "Wednesday, 2 December 2026"."""
    return f"{WEEKDAYS[day.weekday()]}, {english_date(day)}"


class VisibleText(HTMLParser):
    """The text a reader sees (and a screen reader reads), without tags or attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self.skipping += tag in NOT_READ

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in NOT_READ and self.skipping > 0

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """A page's text, each piece of text apart (attributes such as `<time datetime>` and
    form values are not text)."""
    parser = VisibleText()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.parts)


def machine_dates(page: str) -> list[str]:
    """Every day in a page's visible text written for machines or in the American order."""
    text = visible_text(page)
    return ISO_DAY.findall(text) + MONTH_FIRST.findall(text)
