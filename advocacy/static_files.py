"""Our CSS and JavaScript, sent compressed to browsers that accept it (issue 18).

Each file's brotli and gzip forms are made once per process, when the app is built (and
again for a file whose modification time or size has changed since), and kept in
memory: nothing is written beside static/, so no compressed copy can go stale or be
forgotten by a deploy. The coding is chosen by the request's Accept-Encoding (RFC 9110
§12.5.3): the highest q-value among "br" and "gzip" (brotli on a tie), a coding given
q=0 never, and the file as it is when neither is accepted. Every answer for such a file
says `Vary: Accept-Encoding`, and each coding has its own ETag (a strong validator
names one representation, RFC 9110 §8.8.3), so revalidation gives 304 only for the
bytes the browser holds.

HTML is never compressed: its pages hold secrets (form tokens, recovery codes) beside
text a request can choose, which is what the BREACH attack needs (README, "Compression").
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, Response, abort, current_app, request
from werkzeug.datastructures import Accept
from werkzeug.security import safe_join

COMPRESSED_KINDS = frozenset({".css", ".js"})
CODINGS = ("br", "gzip")  # in order of preference when their q-values tie


@dataclass(frozen=True)
class Packed:
    """One file's compressed forms: `bodies` (coding -> bytes), `tag` (a hash of the
    file's bytes, for ETags), and `stamp` (modification time in ns, size in bytes) of
    the file they were made from."""

    stamp: tuple[int, int]
    tag: str
    bodies: dict[str, bytes]


_packed: dict[Path, Packed] = {}


def packed(path: Path) -> Packed:
    """Return the file's compressed forms, made anew only when the file has changed.

    Raises OSError when the file cannot be read."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    kept = _packed.get(path)
    if kept is not None and kept.stamp == stamp:
        return kept
    data = path.read_bytes()
    made = Packed(
        stamp=stamp,
        tag=hashlib.sha256(data).hexdigest()[:20],
        bodies={
            "br": brotli.compress(data, quality=11),
            "gzip": gzip.compress(data, compresslevel=9, mtime=0),
        },
    )
    _packed[path] = made  # two threads making the same entry at once is harmless
    return made


def chosen_coding(accepted: Accept) -> str | None:
    """The coding to send for an Accept-Encoding (werkzeug's parse, which reads q-values
    and lets a named coding's q=0 win over "*"): "br", "gzip", or None for none."""
    best = max(CODINGS, key=accepted.quality)
    return best if accepted.quality(best) > 0 else None


def compressible(filename: str) -> Path | None:
    """The static file's path when it is one we compress and it exists, else None."""
    joined = safe_join(str(current_app.static_folder), filename)
    if joined is None:
        return None
    path = Path(joined)
    return path if path.suffix in COMPRESSED_KINDS and path.is_file() else None


def send_static(filename: str) -> Response:
    """The static view: Flask's own for other files, a compressed form where accepted.
    A name ending in "/" names a folder, never a file: 404 (both would drop the slash)."""
    if filename.endswith("/"):
        abort(404)
    path = compressible(filename)
    if path is None:
        return current_app.send_static_file(filename)
    coding = chosen_coding(request.accept_encodings)
    if coding is None:
        response = current_app.send_static_file(filename)
    else:
        response = compressed(path, coding)
    response.vary.add("Accept-Encoding")
    return response


def compressed(path: Path, coding: str) -> Response:
    """The file in `coding`, with its own ETag; 304 when the browser holds these bytes."""
    made = packed(path)
    response = Response(made.bodies[coding], mimetype=mimetypes.guess_type(path.name)[0])
    response.content_encoding = coding
    response.set_etag(f"{made.tag}-{coding}")
    response.last_modified = made.stamp[0] // 1_000_000_000
    return response.make_conditional(request)


def register_static_files(app: Flask) -> None:
    """Serve static files through send_static, and compress ours now, at start-up."""
    app.view_functions["static"] = send_static
    for path in Path(str(app.static_folder)).rglob("*"):
        if path.suffix in COMPRESSED_KINDS:
            packed(path)
