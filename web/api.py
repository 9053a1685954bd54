"""The JSON API: search (and its exports), one article, index statistics, health, its OpenAPI description."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context, url_for
from werkzeug.datastructures import MultiDict

from search.export import chunks, export_lines
from search.model import ArticleView, IndexStats, SearchRequest
from search.service import result_to_json
from web import limits, service
from web.errors import error_response
from web.openapi import EXPORT_MEDIA_TYPES, openapi_document
from web.params import export_query, parse_format, parse_prefix, parse_search
from web.views import lookup_article, no_article

bp = Blueprint("api", __name__, url_prefix="/api")

# What a download's file name keeps of the query: word characters (CJK included), the rest as "_".
_NOT_NAME = re.compile(r"[\W_]+")
NAME_LENGTH = 40
# An export refused because every export slot is taken may be tried again after this many seconds.
EXPORT_RETRY_AFTER_S = 10


class _ExportSlot:
    """One of a process's export slots, taken by an export and given back once, when its stream
    ends or is closed (the WSGI server closes it when the client goes away), whichever comes first."""

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self._slots = slots
        self._held = True
        self._lock = threading.Lock()

    def release(self) -> None:
        """Give the slot back (again is harmless)."""
        with self._lock:
            if self._held:
                self._held = False
                self._slots.release()

    def holding(self, body: Iterable[bytes]) -> Iterator[bytes]:
        """body, with the slot given back as soon as it is read to its end."""
        try:
            yield from body
        finally:
            self.release()


def article_to_json(view: ArticleView) -> dict:
    """The JSON shape of /api/articles/<id>."""
    return {
        "id": view.id,
        "title": view.title,
        "date": view.date,
        "date_precision": view.date_precision,
        "source": view.source,
        "regions": list(view.regions),
        "sectors": list(view.sectors),
        "aid_from": list(view.aid_from),
        "text": view.text,
        "html": view.html,
        "matches": view.matches,
        "related": [{"id": r.id, "title": r.title, "date": r.date, "date_precision": r.date_precision}
                    for r in view.related],
        "people": list(view.people),
        "orgs": list(view.orgs),
        "key_terms": list(view.key_terms),
        "origin": view.origin.to_json() if view.origin else None,
    }


def stats_to_json(stats: IndexStats) -> dict:
    """The JSON shape of /api/stats."""
    return {
        "articles": stats.articles,
        "size_bytes": stats.size_bytes,
        "generation": stats.generation,
        "built_at": stats.built_at,
        "build_seconds": stats.build_seconds,
        "date_min": stats.date_min,
        "date_max": stats.date_max,
        "facets": {
            name: [{"value": fv.value, "count": fv.count} for fv in values]
            for name, values in stats.facets.items()
        },
    }


@bp.app_template_global()
def export_url(req: SearchRequest, fmt: str) -> str:
    """The URL exporting every hit of a search as fmt (csv or jsonl), for the results page's links."""
    return url_for("api.search") + "?" + export_query(req, fmt, limits())


def export_filename(query: str, fmt: str) -> str:
    """The file name a download of an export is saved under: xjsearch-<the query>.<fmt>."""
    stem = _NOT_NAME.sub("_", query).strip("_")[:NAME_LENGTH].strip("_")
    return f"xjsearch-{stem or 'all'}.{fmt}"


@bp.get("/search")
def search():
    """Search: the page's parameters plus per_page, answered like `xjsearch search --json`.

    format=csv or format=jsonl streams every hit instead (page and per_page do not apply), one
    row each; the request is checked before the first byte, so a bad one is still a 400. An export
    holds one of the process's few export slots until its stream is closed; with none free it is a
    429, so that exports never hold every thread and searches always find one.
    """
    req = parse_search(request.args, limits())
    fmt = parse_format(request.args)
    if fmt == "json":
        return jsonify(result_to_json(service().search(req)))
    slots = current_app.extensions["xjsearch.exports"]
    if not slots.acquire(blocking=False):
        busy = error_response(f"导出太多：本服务进程同时最多进行 {limits().max_exports} 个导出，"
                              f"请 {EXPORT_RETRY_AFTER_S} 秒后再试", 429)
        busy.headers["Retry-After"] = str(EXPORT_RETRY_AFTER_S)
        return busy
    slot = _ExportSlot(slots)
    try:
        total, hits = service().iter_hits(req)
    except BaseException:
        slot.release()
        raise
    name = export_filename(req.query, fmt)
    ascii_name = name if name.isascii() else f"xjsearch-export.{fmt}"
    response = Response(stream_with_context(slot.holding(chunks(export_lines(hits, fmt)))),
                        content_type=EXPORT_MEDIA_TYPES[fmt] + "; charset=utf-8")
    # filename* (RFC 6266) carries a Chinese query; filename is for clients that know only ASCII.
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name, safe="")}')
    response.headers["X-Total-Count"] = str(total)
    # An export abandoned before its first row is only ever closed.
    response.call_on_close(slot.release)
    return response


@bp.get("/suggest")
def suggest():
    """Completions of a prefix typed in characters or pinyin, for the search box."""
    prefix = parse_prefix(request.args, limits())
    return jsonify({"query": prefix, "suggestions": list(service().suggest(prefix))})


@bp.get("/articles/<article_id>")
def article(article_id: str):
    """One article with its text, its highlighted HTML for ?q= and related articles."""
    # Only q is read, as the OpenAPI document says; search parameters carried along are ignored.
    req = parse_search(MultiDict({"q": request.args.get("q", "")}), limits())
    view = lookup_article(article_id, req.query)
    if view is None:
        return error_response(no_article(article_id), 404)
    return jsonify(article_to_json(view))


@bp.get("/stats")
def stats():
    """What the index holds."""
    return jsonify(stats_to_json(service().stats()))


@bp.get("/health")
def health():
    """Whether the index can be searched; 503 with the reason when it cannot."""
    st = service().stats()
    # worker: the server process that answered (`xjsearch serve --workers N` runs several).
    return jsonify({"status": "ok", "articles": st.articles, "generation": st.generation, "worker": os.getpid()})


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.0 description of this API."""
    return jsonify(openapi_document(limits()))
