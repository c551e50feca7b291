"""Our CSS and JavaScript arrive compressed when the browser accepts it (issue 18), as
RFC 9110 §12.5.3 reads Accept-Encoding; HTML never does (BREACH: README)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli
import pytest

from advocacy.static_files import packed
from tests.support.headers import assert_safety_headers

STATIC = Path(__file__).resolve().parents[1] / "static"
CSS, JS = "/static/css/site.css", "/static/js/quick-exit.js"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda body: body}


def on_disk(path: str) -> bytes:
    return (STATIC / path.removeprefix("/static/")).read_bytes()


def fetch(client, path: str, accept: str | None, **headers):
    if accept is not None:
        headers["Accept-Encoding"] = accept
    with client.get(path, headers=headers) as response:
        response.get_data()
        return response


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("br", "br"),
        ("gzip, deflate", "gzip"),
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends: both, brotli preferred
        ("GZIP", "gzip"),  # coding names ignore case
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("gzip;q=0, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("gzip;q=0, *", "br"),
        ("br;q=0, *;q=0.5", "gzip"),
        ("gzip;q=0", None),
        ("gzip;q=0, br;q=0", None),
        ("*;q=0", None),
        ("identity", None),
        ("compress, zstd, x-unknown", None),  # codings we do not make
        ("gzip;q=nonsense", None),  # an unreadable q-value accepts nothing
        ("", None),
        (None, None),
    ],
)
@pytest.mark.parametrize("path", [CSS, JS])
def test_the_coding_follows_accept_encoding(client, path, accept, coding):
    response = fetch(client, path, accept)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == coding
    assert DECODE[coding](response.data) == on_disk(path)
    assert "Accept-Encoding" in response.headers.get("Vary", "")
    assert int(response.headers["Content-Length"]) == len(response.data)
    if coding is not None:
        assert len(response.data) < len(on_disk(path)) / 2
    assert response.content_type.startswith(("text/css", "text/javascript"))
    assert_safety_headers(response)
    assert response.headers["Cache-Control"] == "private, max-age=3600"


@pytest.mark.parametrize("coding", ["br", "gzip", None])
def test_a_browser_holding_the_same_bytes_gets_304(client, coding):
    first = fetch(client, CSS, coding)
    tag = first.headers["ETag"]
    again = fetch(client, CSS, coding, **{"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == tag
    assert "Accept-Encoding" in again.headers.get("Vary", "")
    assert again.headers["Cache-Control"] == "private, max-age=3600"
    assert_safety_headers(again)


def test_each_coding_has_its_own_etag_and_never_revalidates_another(client):
    tags = {coding: fetch(client, CSS, coding).headers["ETag"] for coding in ("br", "gzip", None)}
    assert len(set(tags.values())) == 3
    # Holding the gzip bytes, a browser that now asks for brotli gets brotli, not a 304.
    switched = fetch(client, CSS, "br", **{"If-None-Match": tags["gzip"]})
    assert switched.status_code == 200
    assert brotli.decompress(switched.data) == on_disk(CSS)
    plain = fetch(client, CSS, None, **{"If-None-Match": tags["br"]})
    assert plain.status_code == 200
    assert plain.data == on_disk(CSS)


def test_a_range_of_the_compressed_file_is_sent_whole(client):
    response = fetch(client, CSS, "br", Range="bytes=0-9")
    assert response.status_code == 200
    assert brotli.decompress(response.data) == on_disk(CSS)


@pytest.mark.parametrize("path", ["/", "/safety", "/login", "/no-such-page"])
def test_html_is_never_compressed(client, path):
    response = fetch(client, path, "br, gzip")
    assert "Content-Encoding" not in response.headers
    assert response.data.lstrip().lower().startswith(b"<!doctype html>")


@pytest.mark.parametrize(
    "path",
    [
        "/static/css/no-such.css",
        "/static/../advocacy/config.py",
        "/static/%2e%2e/wsgi.py",
        "/static/css/site.css/",  # a file is no folder, compressed or not
    ],
)
def test_missing_or_outside_files_are_404_uncached(client, path):
    response = fetch(client, path, "br, gzip")
    assert response.status_code == 404
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_a_changed_file_is_compressed_anew(tmp_path):
    style = tmp_path / "style.css"
    style.write_text("body { color: black; }\n" * 50)
    before = packed(style)
    assert packed(style) is before  # made once
    style.write_text("main { color: navy; }\n" * 60)
    os.utime(style, ns=(before.stamp[0] + 10**9, before.stamp[0] + 10**9))
    after = packed(style)
    assert after.tag != before.tag
    assert gzip.decompress(after.bodies["gzip"]) == style.read_bytes()
    assert brotli.decompress(after.bodies["br"]) == style.read_bytes()
