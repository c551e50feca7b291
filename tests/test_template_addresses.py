"""Templates build each address once per endpoint and values (issue 17, item 2): the nav
links, static files and rows' links of a page are the same on every request, and
Werkzeug's build costs more than a look-up. What a page shows is unchanged: the address
Flask's url_for gives, for the values given, under the request's SCRIPT_NAME.
"""

from __future__ import annotations

from flask import render_template_string
from werkzeug.routing import MapAdapter


def shown(app, source: str, **request_args) -> str:
    with app.test_request_context(**request_args):
        return render_template_string(source)


def test_an_address_is_built_once_for_every_render_that_shows_it(app, monkeypatch):
    built = []
    original = MapAdapter.build

    def counting(self, endpoint, *args, **kwargs):
        built.append(endpoint)
        return original(self, endpoint, *args, **kwargs)

    monkeypatch.setattr(MapAdapter, "build", counting)
    source = "{{ url_for('stories.show', story_id=7) }} {{ url_for('pages.home') }}"
    assert shown(app, source) == "/stories/7 /"
    assert shown(app, source) == "/stories/7 /"
    assert built == ["stories.show", "pages.home"]


def test_each_mount_point_gets_its_own_addresses(app):
    source = "{{ url_for('stories.show', story_id=7) }}"
    assert shown(app, source) == "/stories/7"
    assert shown(app, source, base_url="http://localhost/site") == "/site/stories/7"
    assert shown(app, source) == "/stories/7"


def test_values_of_other_types_are_built_as_flask_builds_them(app):
    # True == 1 in a dict key, but Werkzeug writes "True" and "1".
    source = "{{ url_for('stories.index', before=%s) }}"
    assert shown(app, source % "1") == "/stories?before=1"
    assert shown(app, source % "true") == "/stories?before=True"
    assert shown(app, source % "'1'") == "/stories?before=1"
    assert shown(app, source % "1") == "/stories?before=1"


def test_flask_s_own_arguments_still_count(app):
    assert shown(app, "{{ url_for('pages.home', _anchor='main') }}") == "/#main"
    assert shown(app, "{{ url_for('pages.home', _external=True) }}") == "http://localhost/"
    assert shown(app, "{{ url_for('pages.home') }}") == "/"
    assert (
        shown(app, "{{ url_for('pages.home', _external=True) }}", base_url="http://other.test")
        == "http://other.test/"
    )
