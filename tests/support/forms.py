"""What a view's forms ask for, read from the form classes: kind-level checks build on it.

DESIGN §7 says a view parses a form and calls one service, so the form a POST endpoint
reads is named in the view's own code (`forms.LoginForm()`). These helpers find those
form classes and their fields without running the view.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from types import CodeType

from flask import Flask
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice
from wtforms.fields.core import UnboundField


def names_in(code: CodeType) -> Iterator[str]:
    """Yield every global or attribute name a code object uses, nested code included."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from names_in(constant)


def form_classes(view: Callable) -> set[type[FlaskForm]]:
    """Return the form classes a view names, directly or through a module (`forms.X`)."""
    function = inspect.unwrap(view)  # past login_required, role_required, limits…
    names = set(names_in(function.__code__))
    found = set()
    for name in names:
        value = function.__globals__.get(name)
        candidates = [value]
        if inspect.ismodule(value):
            candidates += [getattr(value, other, None) for other in names]
        found |= {c for c in candidates if isinstance(c, type) and issubclass(c, FlaskForm)}
    return found


def fields(form_class: type[FlaskForm]) -> dict[str, UnboundField]:
    """Return the declared fields of a form class, by name."""
    return {
        name: value
        for name in dir(form_class)
        if isinstance(value := getattr(form_class, name), UnboundField)
    }


def is_secret(name: str, field: UnboundField) -> bool:
    """A password (any PasswordField) or a code (invite, recovery, reset, TOTP, letter…)."""
    return issubclass(field.field_class, PasswordField) or name.endswith("code")


def post_endpoints(app: Flask) -> dict[str, str]:
    """Return every endpoint that answers POST, with its URL rule."""
    return {rule.endpoint: rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}


def secret_fields(app: Flask, endpoint: str) -> set[str]:
    """Return the secret fields (form.field) of the forms an endpoint's view reads."""
    return {
        f"{form_class.__name__}.{name}"
        for form_class in form_classes(app.view_functions[endpoint])
        for name, field in fields(form_class).items()
        if is_secret(name, field)
    }


def choice_values(form_class: type[FlaskForm], field_name: str) -> set[str]:
    """Return the values a radio, select or checkbox field offers (its choices, or what
    the function given as its choices returns)."""
    choices = fields(form_class)[field_name].kwargs["choices"]
    return {
        choice.value if isinstance(choice, SelectChoice) else choice[0]
        for choice in (choices() if callable(choices) else choices)
    }
