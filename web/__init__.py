"""The xjsearch web application: search pages and a JSON API over the search service.

Flask and the search service are imported by the functions below, not with this package: the
`xjsearch` command lives in web.cli, and only `serve` needs them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.paths import resolve_index_dir

if TYPE_CHECKING:
    from flask import Flask

    from search.service import SearchService
    from web.params import Limits

# The policy every response carries: nothing but our own files, no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# A search page needs no sensor, camera, microphone, location, payment or USB device: none is granted.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
# How long a response may be reused (README, "Caching"). Pages and JSON answers may be kept but are
# asked for again each time: a reindex swaps the index under a running server, and the server answers
# a repeated search from its own cache of ranked matches in milliseconds. Exports (downloads), health
# checks and errors (a 503 during a rebuild, a 429) are never stored.
CACHE_REVALIDATE = "no-cache"
CACHE_NEVER = "no-store"

DEFAULTS: dict[str, Any] = {
    "INDEX": None,  # index directory; None means the per-user default
    "MAX_QUERY_LENGTH": 500,
    "MAX_PAGE": 1000,
    "PER_PAGE": 10,
    "MAX_PER_PAGE": 100,
    "MAX_EXPORTS": 2,  # exports streamed at once by one server process; more are answered 429
    "DEBUG": False,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then XJSEARCH_* environment variables, then the given config."""
    from flask import Flask

    from web.params import limits_from_config

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("XJSEARCH")
    if config is not None:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # Checked here, so a bad setting stops the app at start rather than failing every request.
    app.extensions["xjsearch.limits"] = limits_from_config(app.config)
    app.extensions["xjsearch.exports"] = threading.BoundedSemaphore(app.extensions["xjsearch.limits"].max_exports)
    app.extensions["xjsearch.service"] = None
    app.extensions["xjsearch.lock"] = threading.Lock()

    from web import api, assets, concordance, errors, feed, trends, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(concordance.bp)
    app.register_blueprint(trends.bp)
    app.register_blueprint(feed.bp)
    errors.register(app)
    app.after_request(_security_headers)
    app.after_request(_cache_control)
    assets.install(app)
    return app


def index_dir() -> Path:
    """The index directory this app serves."""
    from flask import current_app

    return resolve_index_dir(current_app.config.get("INDEX"))


def service() -> SearchService:
    """The app's one SearchService, made on first use (it opens the index lazily, once per generation)."""
    from flask import current_app

    from search.service import SearchService

    ext = current_app.extensions
    if ext["xjsearch.service"] is None:
        with ext["xjsearch.lock"]:
            if ext["xjsearch.service"] is None:
                ext["xjsearch.service"] = SearchService(index_dir())
    return ext["xjsearch.service"]


def limits() -> Limits:
    """The parameter bounds of this app."""
    from flask import current_app

    return current_app.extensions["xjsearch.limits"]


def _security_headers(response):
    """Add the Content-Security-Policy and its companions to every response."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
    return response


def _cache_control(response):
    """Say how a response may be reused, unless it says so itself (static files do)."""
    from flask import request

    from web.openapi import EXPORT_MEDIA_TYPES

    if "Cache-Control" not in response.headers:
        never = (response.status_code >= 400 or response.mimetype in EXPORT_MEDIA_TYPES.values()
                 or request.endpoint == "api.health")
        response.headers["Cache-Control"] = CACHE_NEVER if never else CACHE_REVALIDATE
    return response
