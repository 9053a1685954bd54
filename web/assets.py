"""What the app sends over the wire: compressed pages and data, static files versioned and cached for long."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, request
from flask_compress import Compress

# Pages, JSON and our own CSS and JavaScript. Exports (CSV, JSON Lines) are left as they are: they
# stream as rows are read, and a compressor would hold rows back until it had a block to send.
COMPRESSED_TYPES = ("text/html", "text/css", "text/javascript", "application/javascript", "application/json")
# A versioned URL names one content for ever, so a browser keeps it a year without asking again.
VERSIONED_CACHE_CONTROL = f"public, max-age={365 * 24 * 3600}, immutable"
VERSION_LENGTH = 12

_versions: dict[tuple[Path, int, int], str] = {}


def static_version(filename: str) -> str | None:
    """The content version of a static file (a prefix of its SHA-256), or None if there is no such file."""
    folder = current_app.static_folder
    if folder is None:
        return None
    path = Path(folder, filename)
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    # Keyed by size and modification time, so a file edited under a running server gets a new version.
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _versions:
        _versions[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:VERSION_LENGTH]
    return _versions[key]


def _version_static_urls(endpoint: str, values: dict) -> None:
    """url_for("static", filename=...) gives the file's URL with ?v=<its content version>."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_version(values["filename"])
        if version is not None:
            values["v"] = version


def _cache_versioned_static(response):
    """A static file asked for by its current version may be kept for a year; any other is revalidated."""
    if request.endpoint == "static" and response.status_code in (200, 304):
        filename = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        if version is not None and version == static_version(filename):
            response.headers["Cache-Control"] = VERSIONED_CACHE_CONTROL
    return response


def install(app: Flask) -> None:
    """Compress app's responses (zstd, Brotli, gzip or deflate, as the client accepts) and version its static URLs."""
    app.config.setdefault("COMPRESS_MIMETYPES", list(COMPRESSED_TYPES))
    Compress(app)
    app.url_defaults(_version_static_urls)
    app.after_request(_cache_versioned_static)
