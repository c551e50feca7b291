"""No string left behind (issue 18, item 3): every text a person reads is marked for
translation, in the templates and in the Python code.

Templates are read with Jinja's own lexer: text between tags, and the attributes people
read or hear (placeholder, title, aria-label, alt, the value of an input button), must
come from `_()`/`ngettext()`; so must string literals written inside `{{ }}`/`{% %}` that
read as words (a space, or a capital letter). Python is read with `ast`: what is handed
to flash(), to WTForms (labels, descriptions, validators' `message`), to ValidationError,
abort() and the site's own errors, and to click (echo, its errors) must be a call to
`_`, `_l`, `gettext`, `ngettext`… rather than a literal or an f-string.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".txt"))
MODULES = sorted((ROOT / "advocacy").rglob("*.py"))
MARKERS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}
MARKERS |= {"npgettext", "lazy_pgettext"}
LETTER = re.compile(r"[^\W\d_]")
HIDDEN = "\x00"  # where an expression or a tag of Jinja stood in a template's text
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description"}
BUTTON_TYPES = {"submit", "button", "reset"}

# Literals inside {{ }} / {% %} that read as words but are names, never shown.
TEMPLATE_NAMES = {
    "'BooleanField'",
    "'RadioField'",
    "'CheckboxList'",
    '"CSRFTokenField"',
    '"RETENTION_LOG_DAYS"',
}
# Modules no one but a developer reads: benchmark data and its command (bench/README.md).
DEVELOPER_ONLY = {"advocacy/bench_seed"}
# Exceptions for programmers (logs, tracebacks): never shown to a person.
PROGRAMMER_ERRORS = {"ValueError", "RuntimeError", "TypeError", "KeyError", "LookupError"}


class TextFinder(HTMLParser):
    """Text and read attributes of an HTML template whose Jinja parts were hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        self.in_code += tag in ("script", "style")
        kinds = dict(attrs)
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and kinds.get("type") in BUTTON_TYPES
            )
            if read and value and LETTER.search(value.replace(HIDDEN, "")):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        self.in_code -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.in_code and LETTER.search(data.replace(HIDDEN, "")):
            self.found.append(data.replace(HIDDEN, "…").strip())


def unmarked_in_template(source: str, plain_text: bool = False) -> list[str]:
    """The words of a template that would reach the reader untranslated."""
    text, found, calls = [], [], []
    tokens = list(Environment(autoescape=True, extensions=["jinja2.ext.i18n"]).lex(source))
    in_trans = False
    for index, (line, kind, value) in enumerate(tokens):
        previous = tokens[index - 1] if index else (0, "", "")
        if kind == "name" and value in ("trans", "pluralize", "endtrans"):
            in_trans = value != "endtrans"
        if kind == "data" and not in_trans:
            text.append(value)
        elif kind in ("variable_begin", "block_begin"):
            text.append(HIDDEN)
            calls = []
        elif kind == "operator" and value in "([{":
            calls.append(previous[2] if value == "(" and previous[1] == "name" else None)
        elif kind == "operator" and value in ")]}" and calls:
            calls.pop()
        elif kind == "string" and value not in TEMPLATE_NAMES:
            words = value[1:-1]
            reads = LETTER.search(words) and (" " in words or words[:1].isupper())
            if reads and not set(calls) & MARKERS:
                found.append(f"line {line}: {value}")
    if plain_text:
        lines = "".join(text).split("\n")
        return found + [t for t in lines if LETTER.search(t.replace(HIDDEN, ""))]
    finder = TextFinder()
    finder.feed("".join(text))
    return found + finder.found


def called(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)


def is_unmarked(node: ast.AST | None) -> bool:
    """A literal with words, an f-string, or text joined from them: not through a marker."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):  # words around the values ("{name}: {count}" has none)
        return any(is_unmarked(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return is_unmarked(node.left) or is_unmarked(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(is_unmarked(item) for item in node.elts)
    return False


def shown_arguments(node: ast.Call) -> list[ast.AST]:
    """The arguments of a call that a person reads, by what is called."""
    name = called(node) or ""
    keywords = {k.arg: k.value for k in node.keywords}
    first = node.args[:1]
    if name in ("flash", "echo", "secho", "ValidationError", "StopValidation"):
        return first
    if name in ("ClickException", "BadParameter", "UsageError"):
        return first
    if name == "abort":
        return node.args[1:] + [keywords.get("description")]
    if name.endswith("Field"):  # WTForms: the label, and the hint under it
        return first + [keywords.get("label"), keywords.get("description")]
    return [keywords.get("message")]  # every WTForms validator


def raised_messages(tree: ast.AST) -> set[int]:
    """The calls raised as the site's own errors (not PROGRAMMER_ERRORS): their first
    argument is the message the page shows (advocacy/domain.py DomainError)."""
    return {
        id(node.exc)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and called(node.exc) not in PROGRAMMER_ERRORS
    }


def unmarked_in_module(source: str) -> list[str]:
    found = []
    tree = ast.parse(source)
    raised = raised_messages(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called(node) not in MARKERS:
            shown = shown_arguments(node) + (node.args[:1] if id(node) in raised else [])
            for argument in shown:
                if is_unmarked(argument):
                    found.append(f"line {argument.lineno}: {ast.unparse(argument)[:80]}")
    return found


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_word_of_a_template_is_marked(path):
    assert unmarked_in_template(path.read_text(), plain_text=path.suffix == ".txt") == []


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if not any(str(p.relative_to(ROOT)).startswith(d) for d in DEVELOPER_ONLY)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_string_python_shows_a_person_is_marked(path):
    assert unmarked_in_module(path.read_text()) == []


# The finders themselves: each kind of forgotten string is caught, marked ones are not.
@pytest.mark.parametrize(
    "template",
    [
        "<p>Your stories</p>",
        '<input placeholder="Search">',
        '<a title="Home" href="/">{{ _("Home") }}</a>',
        '<button aria-label="Close">×</button>',
        '<img alt="A map" src="/m.svg">',
        '<input type="submit" value="Save">',
        '{{ button("Save story") }}',
        "<p>{{ _('Hello') }}, friend</p>",
        '{% set heading = "Stories" %}',
    ],
)
def test_the_template_finder_catches_a_forgotten_word(template):
    assert unmarked_in_template(template) != []


@pytest.mark.parametrize(
    "template",
    [
        "<p>{{ _('Your stories') }}</p>",
        "<input placeholder=\"{{ _('Search') }}\">",
        '{{ ngettext("%(num)s story", "%(num)s stories", n) }}',
        '<button type="submit" name="action" value="save">{{ _("Save") }}</button>',
        "<script>const a = 'text';</script><p>{{ title }}</p>",
        '<a href="{{ url_for(\'pages.home\') }}">{{ _("Home") }}</a> · 2026',
        "{% trans %}Hello{% endtrans %}",
    ],
)
def test_the_template_finder_leaves_marked_words_alone(template):
    assert unmarked_in_template(template) == []


@pytest.mark.parametrize(
    "source",
    [
        'flash("Saved.", "success")',
        'flash(f"Saved {name}.")',
        'StringField("Title")',
        'StringField(_l("Title"), description="Plain words")',
        'Length(max=10, message="Too long")',
        'raise ValidationError("Not a date")',
        'abort(404, "No such page")',
        'click.echo("Backed up to " + str(target))',
        'raise click.ClickException(f"{target} exists")',
        'raise PseudonymRefused(["Taken"])',
    ],
)
def test_the_python_finder_catches_a_forgotten_string(source):
    assert unmarked_in_module(source) != []


@pytest.mark.parametrize(
    "source",
    [
        'flash(_l("Saved."), "success")',
        'StringField(_l("Title"), description=_l("Plain words"))',
        'Length(max=10, message=_l("Too long"))',
        'click.echo(_("Backed up to %(target)s", target=target))',
        "click.echo(code)",
        'raise ValueError("a meeting ends after it starts")',
        'raise PastMeetingRefused(_l("Choose a day"), "day")',
        'flash(ngettext("%(num)s day", "%(num)s days", n), "info")',
    ],
)
def test_the_python_finder_leaves_marked_strings_alone(source):
    assert unmarked_in_module(source) == []
