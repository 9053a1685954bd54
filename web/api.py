"""The JSON API: search (and its exports), one article, index statistics, health, its OpenAPI description."""

from __future__ import annotations

import os
from collections.abc import Iterator

from flask import Blueprint, jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from search.export import chunks, export_lines
from search.model import ArticleView, IndexStats, SearchRequest
from search.service import result_to_json
from web import limits, service
from web.downloads import exported
from web.errors import error_response
from web.openapi import openapi_document
from web.params import export_query, parse_format, parse_prefix, parse_search
from web.views import lookup_article, no_article

bp = Blueprint("api", __name__, url_prefix="/api")



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

    def rows() -> tuple[int, Iterator[str]]:
        total, hits = service().iter_hits(req)
        return total, chunks(export_lines(hits, fmt))

    return exported(rows, fmt, req.query)


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
