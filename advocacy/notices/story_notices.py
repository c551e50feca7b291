"""The words of the notices about a mentor's decision on a reported story, put together
when the member reads them (so in their language).

The params are what moderation/reported.py stores, all JSON:

- for the reporters, ``report_outcome_<outcome>`` (kept, warning_added,
  changes_requested, removed): ``title``, the story's published title, only while
  readers can still read the story; without it the story is "a story you reported"
  (so a title taken down is never repeated; older notices carry no title either).
- for the author, ``story_taken_down``: ``title``, ``mentor_note`` and ``num``, the days
  until a story left as it is is deleted (RETENTION_DECLINED_STORY_DAYS when it was sent);
  ``story_warning_added``: ``title``, ``mentor_note`` and ``warnings``, the keys of the
  warnings added (stories/services.py WARNINGS, named in the reader's language);
  ``story_changes_after_report``: ``title``, ``mentor_note`` and ``hidden``, whether
  readers cannot see the story until a mentor approves the author's changes.

The mentor's note is part of the sentence (not the notices page's "Note:" line), so the
data export carries it too.
"""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l

from advocacy.stories.services import WARNINGS

# Each outcome: (the story named by its title, the story no longer readable).
REPORT_OUTCOMES = {
    "report_outcome_kept": (
        _l("Thank you for your report. A mentor reviewed “%(title)s” and kept it published."),
        _l(
            "Thank you for your report. A mentor reviewed a story you reported and kept it "
            "published."
        ),
    ),
    "report_outcome_warning_added": (
        _l(
            "Thank you for your report. A mentor reviewed “%(title)s” and added a content "
            "warning to it."
        ),
        _l(
            "Thank you for your report. A mentor reviewed a story you reported and added a "
            "content warning to it."
        ),
    ),
    "report_outcome_changes_requested": (
        _l(
            "Thank you for your report. A mentor reviewed “%(title)s” and asked its author "
            "for changes."
        ),
        _l(
            "Thank you for your report. A mentor reviewed a story you reported and asked its "
            "author for changes."
        ),
    ),
    "report_outcome_removed": (
        _l("Thank you for your report. A mentor reviewed “%(title)s” and took it down."),
        _l("Thank you for your report. A mentor reviewed a story you reported and took it down."),
    ),
}
MENTOR_NOTE = _l("The mentor's note: %(note)s")
CHANGES_VISIBLE = _l(
    "A mentor asked for changes to your story “%(title)s” after it was reported. It stays "
    "published as it is while you work on it; your changes go to a mentor before readers "
    "see them."
)
CHANGES_HIDDEN = _l(
    "A mentor asked for changes to your story “%(title)s” after it was reported. Readers "
    "can't see it for now: it comes back once a mentor approves your changes."
)


def report_outcome(kind: str):
    """Return the renderer of one outcome: by title while the notice carries one."""
    titled, untitled = REPORT_OUTCOMES[kind]

    def render(params: dict) -> str:
        if params.get("title"):
            return str(titled) % {"title": params["title"]}
        return str(untitled)

    return render


def with_note(text: str, params: dict) -> str:
    """Add the mentor's note to the author, if there is one."""
    note = params.get("mentor_note")
    return f"{text} {MENTOR_NOTE % {'note': note}}" if note else text


def story_taken_down(params: dict) -> str:
    """The author's story was taken down after reports: what they can do, and when it goes."""
    text = ngettext(
        "A mentor took your story “%(title)s” down after it was reported. You can change it "
        "and send it for review again; if it stays as it is, it will be deleted %(num)d day "
        "after this notice.",
        "A mentor took your story “%(title)s” down after it was reported. You can change it "
        "and send it for review again; if it stays as it is, it will be deleted %(num)d days "
        "after this notice.",
        int(params["num"]),
        title=params["title"],
    )
    return with_note(text, params)


def story_warning_added(params: dict) -> str:
    """A mentor added warnings to the author's published story: which ones."""
    keys = list(params.get("warnings") or [])
    names = [f"“{WARNINGS.get(key, key)}”" for key in keys]
    text = ngettext(
        "A mentor added the content warning %(warnings)s to your story “%(title)s” after it "
        "was reported. It stays published, and readers see the warning before the story.",
        "A mentor added the content warnings %(warnings)s to your story “%(title)s” after it "
        "was reported. It stays published, and readers see the warnings before the story.",
        len(keys),
        warnings=format_list(names, locale=str(get_locale() or "en")),
        title=params["title"],
    )
    return with_note(text, params)


def story_changes_after_report(params: dict) -> str:
    """A mentor asked the author for changes after reports: whether readers still see it."""
    text = CHANGES_HIDDEN if params.get("hidden") else CHANGES_VISIBLE
    return with_note(str(text) % {"title": params["title"]}, params)


RENDERERS = {
    **{kind: report_outcome(kind) for kind in REPORT_OUTCOMES},
    "story_taken_down": story_taken_down,
    "story_warning_added": story_warning_added,
    "story_changes_after_report": story_changes_after_report,
}
